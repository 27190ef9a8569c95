# Functions: constant patterns and SQL are checked at load, wherever the
# call is; other misuse is reported by evaluation.

locals {
  words    = regexall("[[:alpha:]+", "a b") # ERROR: Invalid regular expression | missing closing ]
  cleaned  = replace("a  b", "/ +(/", " ") # ERROR: Invalid regular expression | given to replace
  literal  = replace("a.b", ".", "-") # not a pattern
  fine     = regex("^[a-z]+$", "abc")
  canon    = sql_canonical("SELECT a FORM t") # ERROR: Invalid SQL | the SQL given to sql_canonical
  tables   = sql_tables("SELECT * FROM") # ERROR: Invalid SQL | sql_tables
  print    = sql_fingerprint("SELECT 1; SELECT 2") # ERROR: Invalid SQL | expected one statement, found 2
  missing  = file("no-such-file.csv") # ERROR: Invalid function argument | no file exists at
  typo     = uppr("x") # ERROR: Call to unknown function | Did you mean "upper"?
  rows     = csvdecode("a,b\n1") # ERROR: Error in function call | wrong number of fields
  optional = try(local.fine[5], "none")
}

session "s" {
  cluster_id = "1"
  database   = "db"

  question "q" {
    ask = "What?"

    assert {
      condition     = can(regex("(unclosed", self.sql)) # ERROR: Invalid regular expression | missing closing )
      error_message = "x"
    }

    assert {
      condition     = length(self.row_count) > 0 # ERROR: Invalid function argument | must be a string, a collection or an object
      error_message = "x"
    }

    assert {
      condition     = sql_fingerprint(self.sql) == sql_fingerprint("SELECT name FROM companies WHERE id = 1")
      error_message = "x"
    }
  }
}
