# Modes, timeouts and labels on chat2query, sessions and questions.

chat2query {
  mode = "autobreakdown" # ERROR: Invalid mode | Did you mean "auto_breakdown"?
}

session "s" {
  cluster_id = "1"
  database   = "db"
  mode       = "DIRECT" # ERROR: Invalid mode | Did you mean "direct"?
  timeout    = "forever" # ERROR: Invalid duration
  labels     = "smoke" # ERROR: Incorrect attribute value type | list of string required

  question "q" {
    ask    = "What?"
    labels = ["smoke", ""] # ERROR: Invalid label | non-empty strings
  }

  question "r" {
    ask    = ["What?"] # ERROR: Incorrect attribute value type | string required
    labels = [["nested"]] # ERROR: Incorrect attribute value type
  }
}
