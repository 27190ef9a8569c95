# The acceptance configuration of the language: ten different mistakes, all
# reported by one load, each on its line.

variable "cluster_id" { # ERROR: No value for required variable | set it with -var cluster_id=...
  type = string
}

variable "limit" {
  type    = number
  default = "five" # ERROR: Invalid default value for variable | a number is required
}

variable "database" {
  type    = string
  default = "sp500"

  validation {
    condition     = startswith(var.database, "sp500insight") # ERROR: Invalid value for variable | The database must be an sp500insight database.
    error_message = "The database must be an sp500insight database."
  }
}

session "market_cap" {
  cluster_id = var.cluster_id
  database   = var.database
  timout     = "2m" # ERROR: Unsupported argument | Did you mean "timeout"?

  question "top5" {
    ask  = "Which five companies have the largest market cap? Compare with ${question.sectors.sql}." # ERROR: Reference to a later question
    mode = "auto-breakdown" # ERROR: Invalid mode | Did you mean "auto_breakdown"?

    expect {
      sql = <<-SQL
        SELECT name, market_cap
        FORM companies # ERROR: Invalid expected SQL | syntax error near "companies
        ORDER BY market_cap DESC
        LIMIT 5
      SQL
    }
  }

  question "sectors" {
    ask     = "Which sectors are they in?"
    timeout = "90 seconds" # ERROR: Invalid duration

    assert {
      condition     = can(regex("^SELECT (name", self.sql)) # ERROR: Invalid regular expression
      error_message = "The answer must select names."
    }
  }

  question "top5" { # ERROR: Duplicate question
    ask = "Again?"
  }
}
