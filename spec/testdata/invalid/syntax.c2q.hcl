# After a syntax error Load reports only syntax errors: decoding the
# recovered rest of the file would report errors that are not there (here,
# a missing database and an unknown variable).
session "s" {
  cluster_id = var.cluster
  database   = # ERROR: Invalid expression

  question "q" {
    ask = "What?"
  }
}
