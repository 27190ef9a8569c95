# An expected SQL that TiDB's parser cannot read is reported at the place
# of the error inside the string or heredoc.

session "s" {
  cluster_id = "1"
  database   = "db"

  question "quoted" {
    ask = "What?"
    expect {
      sql = "SELECT \"a\\b\" FROM t WHERE x = 1 ORDER BY DESC" # ERROR: Invalid expected SQL | near "DESC"
    }
  }

  question "plain_heredoc" {
    ask = "What?"
    expect {
      sql = <<SQL
SELECT name
FROM companies
WHERE sector IN ('Energy',) # ERROR: Invalid expected SQL | near ")
SQL
    }
  }

  question "parenthesised" {
    ask = "What?"
    expect {
      sql = (
        <<-SQL
          SELECT *
            FROM t
            LIMIT 1, # ERROR: Invalid expected SQL | syntax error at the end of the SQL
        SQL
      )
    }
  }

  question "two" {
    ask = "What?"
    expect {
      sql = "SELECT 1; SELECT 2" # ERROR: Invalid expected SQL | expected one statement, found 2
    }
  }

  question "interpolated" {
    ask = "What?"
    expect {
      sql = "SELECT ${1 + 1} FORM t" # ERROR: Invalid expected SQL | line 1 column
    }
  }
}
