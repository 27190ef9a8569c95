# Answers that try to drive the terminal: see TestHumanEscapesServiceText.
variable "customer" {
  type      = string
  default   = "Initech"
  sensitive = true
}

session "s" {
  cluster_id = "10140100115280519574"
  database   = "sp500insight"

  question "sql" {
    ask = "hostile sql"
    expect {
      sql = "SELECT name FROM companies"
    }
  }

  question "rows" {
    ask = "hostile rows"
    expect {
      rows = [["Apple"]]
    }
  }

  question "words" {
    ask = "hostile words"
    expect {
      description    = "^fine$"
      clarified_task = "^fine$"
    }
  }

  question "job" {
    ask = "hostile job"
  }

}

session "t" {
  cluster_id = "10140100115280519574"
  database   = "sp500insight"
  name       = "t ${var.customer}"

  question "echo" {
    ask = "which of ${var.customer} and Apple is larger"
  }
}
