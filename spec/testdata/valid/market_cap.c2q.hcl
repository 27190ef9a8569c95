session "market_cap" {
  cluster_id = var.cluster_id
  database   = var.database

  question "top5" {
    ask = "Which ${var.limit} companies have the largest market cap?"

    expect {
      sql = "SELECT name, market_cap FROM companies ORDER BY market_cap DESC LIMIT ${var.limit}"
    }
  }

  question "sectors" {
    ask     = "Which sectors are they in?"
    mode    = "auto_breakdown"
    timeout = "5m"

    expect {
      sql = <<-EOT
        SELECT name, sector
        FROM companies
        ORDER BY market_cap DESC
        LIMIT 5
      EOT
    }
  }

  question "no-expectation" {
    ask  = <<-EOT
      How many companies are in the ${var.sectors[0]} sector?
    EOT
    mode = var.settings.mode
  }
}

session "energy" {
  name       = "Energy sector"
  cluster_id = "10140100115280519574"
  database   = "sp500insight"

  question "count" {
    ask = "How many energy companies are there?"
  }
}
