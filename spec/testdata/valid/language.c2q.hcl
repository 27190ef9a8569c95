# Every feature of the language that needs no for_each: locals, functions,
# inherited defaults, labels, interpolated asks, asserts and outputs.

variable "api_token" {
  type      = string
  default   = "tok-3141592653"
  sensitive = true
}

variable "top_n" {
  type        = number
  default     = 5
  description = "How many companies the leaderboard shows."
  nullable    = false

  validation {
    condition     = var.top_n > 0 && var.top_n <= var.limit
    error_message = "top_n must be between 1 and var.limit (${var.limit})."
  }
}

locals {
  sectors     = sort(distinct(concat(var.sectors, ["Energy"])))
  leaderboard = "SELECT name, market_cap FROM companies ORDER BY market_cap DESC LIMIT ${var.top_n}"
  tables      = sql_tables(local.leaderboard)
  title       = "${upper(substr(var.database, 0, 5))} leaderboard"
}

session "leaderboard" {
  cluster_id = var.cluster_id
  database   = var.database
  mode       = "auto_breakdown"
  timeout    = "3m"
  labels     = ["smoke", "leaderboard"]

  question "top" {
    ask    = "Which ${var.top_n} companies have the largest market cap?"
    labels = ["smoke", "ranking"]

    expect {
      sql = local.leaderboard
    }

    assert {
      condition     = self.row_count == var.top_n
      error_message = "expected ${var.top_n} rows, got ${self.row_count}"
    }

    assert {
      condition     = contains(sql_tables(self.sql), "companies") && can(regex("(?i)order\\s+by", self.sql))
      error_message = "the answer must rank companies"
    }
  }

  question "why_first" {
    ask     = "Why is ${question.top.rows[0][0]} first?"
    mode    = "direct"
    timeout = "45s"

    assert {
      condition     = length(self.rows) > 0 && question.top.row_count > 0
      error_message = "no explanation for ${question.top.rows[0][0]}"
    }
  }

  question "same_shape" {
    ask = <<-EOT
      Show the same ${length(question.top.columns)} columns for the ${local.sectors[0]} sector.
    EOT

    expect {
      sql = <<-SQL
        SELECT name, market_cap
        FROM companies
        WHERE sector = 'Energy'
        ORDER BY market_cap DESC
        LIMIT 5
      SQL
    }

    assert {
      condition     = sql_fingerprint(self.sql) == sql_fingerprint(question.top.sql) || self.columns == question.top.columns
      error_message = "the follow-up should keep the leaderboard's shape"
    }
  }
}

output "leader" {
  value       = session.leaderboard.question.top.rows[0][0]
  description = "The largest company."
}

output "tables" {
  value = local.tables
}

output "token_hint" {
  value     = "${var.api_token} for ${local.title}"
  sensitive = true
}
