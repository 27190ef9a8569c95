# What users watch. "Which sectors are they in?" is asked here too: in this
# session's context it must be about the popular stocks, not the largest.
session "watchlists" {
  cluster_id = var.cluster_id
  database   = var.database
  name       = "c2q example: watchlists"

  question "popular" {
    ask = "What are the most popular stocks among users?"

    expect {
      sql = <<-SQL
        SELECT s.stock_symbol, c.company_name, COUNT(s.user_id) AS selection_count
        FROM user_stock_selections AS s
        JOIN companies AS c ON s.stock_symbol = c.stock_symbol
        GROUP BY s.stock_symbol, c.company_name
        ORDER BY selection_count DESC
        LIMIT 10
      SQL
    }
  }

  question "their_sectors" {
    ask = "Which sectors are they in?"

    expect {
      sql = <<-SQL
        WITH top_stocks AS (
          SELECT stock_symbol, COUNT(user_id) AS selection_count
          FROM user_stock_selections
          GROUP BY stock_symbol
          ORDER BY selection_count DESC
          LIMIT 10
        )
        SELECT c.company_name, c.sector, c.industry, t.selection_count
        FROM top_stocks AS t
        JOIN companies AS c ON t.stock_symbol = c.stock_symbol
        ORDER BY t.selection_count DESC
      SQL
    }
  }

  question "performance" {
    ask  = "How did they perform in 2024?"
    mode = "direct"
  }
}
