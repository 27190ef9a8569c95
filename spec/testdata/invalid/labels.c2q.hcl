variable "2fast" { # ERROR: Invalid variable name | "2fast" is not a valid variable name
  default = 1
}

session "has space" { # ERROR: Invalid session label
  cluster_id = "1"
  database   = "db"

  question "what?" { # ERROR: Invalid question label
    ask = "What?"
  }

  question "" { # ERROR: Invalid question label
    ask = "Empty?"
  }

  question "with-dash_and_digits9" {
    ask = "Fine?"
  }
}
