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
