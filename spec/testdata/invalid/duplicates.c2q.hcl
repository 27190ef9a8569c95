variable "database" {
  default = "a"
}

variable "database" { # ERROR: Duplicate variable declaration | already declared at testdata/invalid/duplicates.c2q.hcl:1
  default = "b"
}

chat2query {
  timeout = "1m"
}

chat2query { # ERROR: Duplicate chat2query block | Another was defined at testdata/invalid/duplicates.c2q.hcl:9
  timeout = "bad" # ERROR: Invalid duration
}

session "s" {
  cluster_id = "1"
  database   = var.database

  question "q" {
    ask = "One?"

    expect {
      sql = "SELECT 1"
    }

    expect { # ERROR: Duplicate expect block | Another was defined at testdata/invalid/duplicates.c2q.hcl:24
      sql = "SELECT 2"
    }
  }

  question "q" { # ERROR: Duplicate question | already declared in session "s" at testdata/invalid/duplicates.c2q.hcl:21
    ask = "Two?"
  }
}

session "s" { # ERROR: Duplicate session | already declared at testdata/invalid/duplicates.c2q.hcl:17
  cluster_id = "1"
  database   = "db"

  question "q" {
    ask = "Three?"
  }
}
