session "market_cap" {
  cluster_id = "10140100115280519574"
  database   = "sp500insight"

  question "top5" {
    ask = "top five"
    expect {
      sql = "SELECT name FROM companies ORDER BY market_cap DESC LIMIT 5"
    }
    assert {
      condition     = self.row_count == 5
      error_message = "want 5 rows"
    }
  }

  question "count" {
    ask = "how many"
    expect {
      sql = "SELECT COUNT(*) FROM companies WHERE sector = 'Energy'"
    }
  }

  question "why" {
    ask = "why is ${question.top5.rows[0][0]} first"
    expect {
      sql = question.top5.sql
    }
  }

  question "next" {
    ask = "next"
  }
}

output "largest" {
  value = session.market_cap.question.top5.rows[0][0]
}

output "next_sql" {
  value = session.market_cap.question.next.sql
}

variable "audit_table" {
  type      = string
  default   = "audit_log_2024"
  sensitive = true
}

session "checks" {
  cluster_id = "10140100115280519574"
  database   = "sp500insight"

  question "leaders" {
    ask = "largest by sector"
    expect {
      group_by     = ["sector"]
      sql_contains = [var.audit_table]
      ordered      = true
      tolerance    = 0.01
      rows = [
        ["Technology", 3000.5],
        ["Energy", 450.25],
        ["Utilities", 120],
      ]
      not {
        sql_contains = ["DELETE", "WHERE"]
        tables       = [var.audit_table]
      }
    }
  }

  question "sectors" {
    ask = "sectors"
    expect {
      sql           = "SELECT DISTINCT sector FROM companies ORDER BY sector"
      read_only     = true
      columns       = ["sector"]
      row_count     = 3
      contains_rows = [{ sector = "Energy" }]
      chart         = "Table"
      max_duration  = "1s"
      not {
        limit = 3
      }
    }
  }
}
