# A regression suite built from a CSV file: one single-turn session per
# case, and a two-turn session for every case that has a follow-up.

variable "cluster_id" {
  type = string
}

variable "only" {
  type        = list(string)
  default     = []
  description = "Case ids to run; all when empty."
}

locals {
  all_cases = { for row in csvdecode(file("cases.csv")) : row.id => row }
  cases     = { for id, c in local.all_cases : id => c if length(var.only) == 0 || contains(var.only, id) }
  followups = { for id, c in local.cases : id => c if c.followup != "" }
}

chat2query {
  timeout = "90s"
}

session "bird" {
  for_each   = local.cases
  cluster_id = var.cluster_id
  database   = "sp500insight"
  name       = "suite ${each.key}"
  mode       = each.value.mode
  labels     = ["suite", each.value.mode]

  question "q" {
    ask = each.value.question

    expect {
      sql = each.value.sql
    }

    assert {
      condition     = self.row_count > 0
      error_message = "${each.key}: no rows for ${jsonencode(each.value.question)}"
    }
  }
}

session "followup" {
  for_each   = local.followups
  cluster_id = var.cluster_id
  database   = "sp500insight"

  question "first" {
    ask = each.value.question

    expect {
      sql = each.value.sql
    }
  }

  question "second" {
    ask     = "${each.value.followup} (about: ${question.first.clarified_task})"
    timeout = "2m"

    expect {
      sql = each.value.followup_sql
    }

    assert {
      condition     = sql_tables(self.sql) == sql_tables(question.first.sql)
      error_message = "the follow-up should read the same tables as ${question.first.sql}"
    }
  }
}

output "failed_first_turns" {
  value = [for id, s in session.followup : id if s.question.first.row_count == 0]
}

output "q017_sql" {
  value = session.bird["q017"].question.q.sql
}
