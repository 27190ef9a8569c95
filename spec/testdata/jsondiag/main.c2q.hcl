variable "mode" {
  default = "auto-breakdown"
}

session "market_cap" {
  cluster_id = "10140100115280519574"
  database   = var.databse

  question "top5" {
    ask     = "Which five companies have the largest market cap?"
    mode    = var.mode
    timeout = "2 min"
    expect {
      columns = [
        "company_name",
        "market_cap",
      ]
    }
  }
}
