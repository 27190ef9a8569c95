session "no_questions" { # ERROR: Insufficient question blocks | Session "no_questions" has no question
  cluster_id = "1"
  database   = "db"
}

session "missing_arguments" { # ERROR: Missing required argument | "cluster_id" is required # ERROR: Missing required argument | "database" is required
  question "q" { # ERROR: Missing required argument | "ask" is required
    mode = "direct"
  }
}

session "unlabeled_question" {
  cluster_id = "1"
  database   = "db"

  question { # ERROR: Missing label for question
    ask = "What?"
  }
}

session { # ERROR: Missing label for session
  cluster_id = "1"
}

chat2query "extra" { # ERROR: Extraneous label for chat2query
}

variable "a" "b" { # ERROR: Extraneous label for variable
}
