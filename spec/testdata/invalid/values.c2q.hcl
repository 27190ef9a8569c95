variable "mode" {
  default = "auto-breakdown"
}

variable "nothing" {
  type    = string
  default = null
}

chat2query {
  timeout = "0s" # ERROR: Invalid duration | greater than zero
}

session "s" {
  cluster_id = "" # ERROR: Empty value | "cluster_id" must not be empty
  database   = var.nothing # ERROR: Missing required argument | its value is null
  name       = ["a", "b"] # ERROR: Incorrect attribute value type | string required

  question "bad_mode" {
    ask  = "Which?"
    mode = "Direct" # ERROR: Invalid mode | Did you mean "direct"?
  }

  question "bad_mode_from_var" {
    ask  = "Which?"
    mode = var.mode # ERROR: Invalid mode | Did you mean "auto_breakdown"?
  }

  question "far_off_mode" {
    ask  = "Which?"
    mode = "sometimes" # ERROR: Invalid mode | it must be "direct" or "auto_breakdown".
  }

  question "bad_timeouts" {
    ask = ( # ERROR: Empty value | "ask" must not be empty
      <<-EOT
      EOT
    )
    timeout = "5 minutes" # ERROR: Invalid duration | like "90s" or "2m"
  }

  question "negative" {
    ask     = "When?"
    timeout = "-1m" # ERROR: Invalid duration | greater than zero
  }

  question "number_timeout" {
    ask     = "When?"
    timeout = 30 # ERROR: Invalid duration | "30" is not a valid duration
  }

  question "empty_sql" {
    ask = "Where?"
    expect {
      sql = "  " # ERROR: Empty value
    }
  }
}
