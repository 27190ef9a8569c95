# A configuration written carelessly: c2q fmt puts it in the canonical style.
variable database {
	type = string
    default = "sp500insight"   # the sample database
  description = "The database to question."
}

variable "limit" {
type=number
default=5
}

chat2query {
  timeout="2m" // per question
}

session market_cap {
  cluster_id    =    "10140100115280519574"
  database = "${var.database}"
  name = "${var.database} nightly"

  question "top" {
    ask = "Which ${var.limit} companies have the largest market cap?"
        mode="direct"
    expect {
      columns = [ "company_name" ,
      "market_cap" ]
      sql = <<-SQL
          SELECT company_name, market_cap
            FROM companies
          ORDER BY market_cap DESC LIMIT ${var.limit}
      SQL
    }
    assert {
      condition = length(self.rows)==var.limit&&!false
      error_message = "want ${var.limit} rows"
    }
  }
}



