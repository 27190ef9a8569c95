# Unknown blocks and arguments, with suggestions where a name is close.
varable "database" { # ERROR: Unsupported block type | Did you mean "variable"?
  default = "x"
}

chat2query {
  url         = "http://localhost:8080"
  privat_key  = "secret" # ERROR: Unsupported argument | Did you mean "private_key"?
}

session "s" {
  clustr_id = "1" # ERROR: Unsupported argument | Did you mean "cluster_id"?
  cluster_id = "1"
  database   = "db"

  question "q" {
    aks = "typo" # ERROR: Unsupported argument | Did you mean "ask"?
    ask = "What?"

    expect {
      sql    = "SELECT 1"
      rowz   = 1 # ERROR: Unsupported argument | Did you mean "rows"?
    }

    expct { # ERROR: Unsupported block type | Did you mean "expect"?
    }
  }

  qestion "r" { # ERROR: Unsupported block type | Did you mean "question"?
    ask = "Why?"
  }
}

module "m" { # ERROR: Unsupported block type | Blocks of type "module" are not expected here.
  source = "./m"
}

outputs "o" { # ERROR: Unsupported block type | Did you mean "output"?
  value = 1
}

question "misplaced" { # ERROR: Unsupported block type | A question block belongs inside a session block.
  ask = "Where does this go?"
}

session "t" {
  cluster_id = "1"
  database   = "db"
  ask        = "Where?" # ERROR: Unsupported argument | The "ask" argument belongs inside a question block.

  question "q" {
    ask = "Here."
    sql = "SELECT 1" # ERROR: Unsupported argument | The "sql" argument belongs inside an expect block.
  }
}
