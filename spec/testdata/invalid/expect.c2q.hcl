# The expect catalogue: every value that can be checked before a request is.

verify {
  dsn      = "reader:hunter2@tcp(db.example.com:4000)/" # WARNING: Credentials in a configuration file | C2Q_VERIFY_DSN
  max_rows = 0 # ERROR: Invalid max_rows | at least 1
  timeout  = "soon" # ERROR: Invalid duration
}

verify { # ERROR: Duplicate verify block | Only one verify block
}

session "s" {
  cluster_id = "1"
  database   = "sp500insight"

  question "modes" {
    ask = "Which five companies have the largest market cap?"
    expect {
      match     = "results" # ERROR: Invalid match | Did you mean "result"?
      tolerance = { abs = 0.1, rell = 0.01 } # ERROR: Invalid tolerance | not "rell". Did you mean "rel"?
      ordered   = "sometimes" # ERROR: Incorrect attribute value type | a bool is required
      rows      = [["Apple Inc."]]
    }
  }

  question "result_without_sql" {
    ask = "Which five companies have the largest market cap?"
    expect {
      match = "result" # ERROR: Nothing to run | no sql or sql_any_of
      rows  = [["Apple", 1]]
    }
  }

  question "writes" {
    ask = "Which five companies have the largest market cap?"
    expect {
      match      = "result"
      sql        = "DELETE FROM companies" # ERROR: Expected SQL that writes | only reads
      sql_any_of = ["SELECT 1", "UPDATE companies SET name = 'x'"] # ERROR: Expected SQL that writes
    }
  }

  question "expected_failure" {
    ask = "What is the airspeed velocity of an unladen swallow?"
    expect {
      status    = "failed" # WARNING: Checks that never run | expect.row_count and the block's other checks
      row_count = 0
    }
  }

  question "negative_tolerance" {
    ask = "Which five companies have the largest market cap?"
    expect {
      tolerance = -1 # ERROR: Invalid tolerance | zero or more # WARNING: Argument has no effect
      ordered   = true # WARNING: Argument has no effect | compares none
      sql       = "SELECT 1"
      row_count = 2.5 # ERROR: Invalid row count | whole number
      limit     = -5 # ERROR: Invalid limit | whole number
    }
  }

  question "sql_lists" {
    ask = "Which five companies have the largest market cap?"
    expect {
      sql_any_of = [
        "SELECT 1",
        "SELECT FROM companies", # ERROR: Invalid expected SQL
      ]
      order_by = ["market_cap DESC, symbol"] # ERROR: Invalid order by item | 2 items in one: give one list element per item
      group_by = ["sector +"] # ERROR: Invalid group by item
    }
  }

  question "rows" {
    ask = "Which five companies have the largest market cap?"
    expect {
      rows          = { a = 1 } # ERROR: Invalid rows | must be a list of rows
      contains_rows = [["a", 1], { name = "b" }] # ERROR: Invalid rows | row 2 is written differently
    }
  }

  question "row_columns" {
    ask = "Which five companies have the largest market cap?"
    expect {
      rows = [{ name = "a", cap = 1 }, { name = "b" }] # ERROR: Invalid rows | every row must name the same columns
      contains_rows = [["a", [1, 2]]] # ERROR: Invalid rows | row 1, cell 2 is a tuple
    }
  }

  question "answer_fields" {
    ask = "Which five companies have the largest market cap?"
    expect {
      clarified_task = "(market" # ERROR: Invalid regular expression | clarified_task is not a valid regular expression
      description    = "ok"
      chart          = "Barchat" # WARNING: Unknown chart | Did you mean "BarChart"?
      max_duration   = "fast" # ERROR: Invalid duration
      not {
        sql_matches = "[" # ERROR: Invalid regular expression
        sql         = "SELEC 1" # ERROR: Invalid expected SQL
        match       = "exact" # ERROR: Unsupported argument | match is not a check, so it cannot be negated
      }
      not { # ERROR: Duplicate not block
      }
    }
  }
}
