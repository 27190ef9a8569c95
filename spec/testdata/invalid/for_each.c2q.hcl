variable "secret_ids" {
  type      = set(string)
  default   = ["a"]
  sensitive = true
}

variable "rows" {
  default = [{ id = "a" }, { id = "b" }]
  type    = list(object({ id = string }))
}

session "from_list" {
  for_each   = var.rows # ERROR: Invalid for_each argument | Build a map with a for expression
  cluster_id = "1"
  database   = "db"

  question "q" {
    ask = "What?"
  }
}

session "numbers" {
  for_each   = toset([1, 2]) # ERROR: Invalid for_each argument | a set of number
  cluster_id = "1"
  database   = "db"

  question "q" {
    ask = "What?"
  }
}

session "nothing" {
  for_each   = null # ERROR: Invalid for_each argument | is null
  cluster_id = "1"
  database   = "db"

  question "q" {
    ask = "What?"
  }
}

session "secret" {
  for_each   = var.secret_ids # ERROR: Invalid for_each argument | Sensitive values
  cluster_id = "1"
  database   = "db"

  question "q" {
    ask = "What?"
  }
}

session "self_keyed" {
  for_each   = { x = each.key } # ERROR: Invalid reference | cannot refer to each
  cluster_id = "1"
  database   = "db"

  question "q" {
    ask = "What?"
  }
}

session "typo" {
  for_each   = { for r in var.rows : r.id => r }
  cluster_id = "1"
  database   = each.vale.id # ERROR: Unsupported attribute | Did you mean "value"?
  name       = each # ERROR: Invalid reference | refer to each.key or each.value

  question "q" {
    ask     = "What about ${each.value.id}?"
    timeout = each.value.timeout # ERROR: Unsupported attribute | This object does not have an attribute named "timeout".
  }
}

session "string" {
  for_each   = "abc" # ERROR: Invalid for_each argument | is a string
  cluster_id = "1"
  database   = "db"

  question "q" {
    ask = "What?"
  }
}
