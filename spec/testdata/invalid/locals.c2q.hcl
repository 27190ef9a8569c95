variable "database" {
  default = "sp500insight"
}

locals {
  db    = var.database
  a     = local.b # ERROR: Cycle in local values | local.a refers to local.b, which refers to local.a
  b     = "${local.a}!"
  me    = [local.me] # ERROR: Cycle in local values | local.me refers to itself
  after = local.a # depends on the cycle: unknown, silently
  typo  = local.dbb # ERROR: Reference to undeclared local value | Did you mean "db"?
  early = question.top5.sql # ERROR: Answer not available here | A local value is evaluated before any question is asked
  each  = each.key # ERROR: Reference to "each" in context without for_each
  mine  = self.sql # ERROR: Invalid "self" reference
  whole = local # ERROR: Invalid reference | cannot be accessed directly
  bad   = upper(1, 2) # ERROR: Too many function arguments
}

locals {
  db = "again" # ERROR: Duplicate local value | already defined at testdata/invalid/locals.c2q.hcl:6
}

session "s" {
  cluster_id = "1"
  database   = local.db
  name       = local.nmae # ERROR: Reference to undeclared local value | Did you mean "me"?

  question "top5" {
    ask = "Top?"
  }
}
