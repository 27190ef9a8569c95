# The largest companies, then follow-ups that only make sense after them.
session "market_cap" {
  cluster_id = var.cluster_id
  database   = var.database
  name       = "c2q example: market cap"

  question "top5" {
    ask = "Which five companies have the largest market cap?"

    expect {
      # Written the way a person would; c2q compares canonical forms, so
      # Chat2Query's backticks, case and trailing semicolon do not matter.
      sql   = <<-SQL
        select company_name, market_cap
        from companies
        order by market_cap desc
        limit 5
      SQL
      chart = "BarChart"
      # Data checks: numbers compare by value ("3894213200000.00" is
      # 3894213200000), columns of an object row by name.
      contains_rows = [{ company_name = "Apple Inc.", market_cap = 3894213200000 }]
      not {
        sql_contains = ["DELETE", "UPDATE", "DROP"]
      }
    }

    assert {
      condition     = self.row_count == 5
      error_message = "expected five companies, got ${self.row_count}"
    }
  }

  question "their_sectors" {
    ask = "Which sectors are they in?"

    expect {
      sql = "SELECT company_name, sector, industry FROM companies ORDER BY market_cap DESC LIMIT 5"
    }

    # A follow-up must keep talking about the same five companies.
    assert {
      condition     = [for r in self.rows : r[0]] == [for r in question.top5.rows : r[0]]
      error_message = "the follow-up lost track of the five companies: ${jsonencode([for r in self.rows : r[0]])}"
    }
  }

  question "smallest" {
    ask = "And the smallest?"

    expect {
      sql = "SELECT company_name, market_cap FROM companies ORDER BY market_cap LIMIT 5"
    }
  }
}

# Sector-level questions: the follow-up "What about market cap?" means the
# share of market cap per sector only after the count per sector.
session "sectors" {
  cluster_id = var.cluster_id
  database   = var.database

  question "count" {
    ask = "How many companies are there in each sector?"

    expect {
      # Execution accuracy: this SQL is run (on the emulator's engine with
      # -emulator, else on the verify block's database) and its result
      # compared with the answer's data. Without ORDER BY, row order does
      # not matter; the columns are matched by their values.
      sql      = "SELECT COUNT(*) AS n, sector FROM companies GROUP BY sector"
      match    = "result"
      group_by = ["sector"]
    }
  }

  question "market_cap_share" {
    ask = "What about market cap?"

    expect {
      sql = <<-SQL
        WITH sector_caps AS (
          SELECT sector, SUM(market_cap) AS total_market_cap FROM companies GROUP BY sector
        )
        SELECT sector, total_market_cap,
               ROUND(100 * total_market_cap / SUM(total_market_cap) OVER (), 2) AS market_cap_share_pct
        FROM sector_caps
        ORDER BY total_market_cap DESC
      SQL
    }
  }
}
