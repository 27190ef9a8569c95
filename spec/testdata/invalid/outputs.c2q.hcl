variable "token" {
  default   = "s3cr3t-token"
  sensitive = true
}

session "market_cap" {
  cluster_id = "1"
  database   = "db"

  question "top5" {
    ask = "Top five?"
  }
}

session "bird" {
  for_each   = toset(["q1", "q2"])
  cluster_id = "1"
  database   = "db"

  question "check" {
    ask = "Check ${each.key}"
  }
}

output "fine" {
  value = [session.market_cap.question.top5.sql, session.bird["q1"].question.check.rows, [for k, s in session.bird : s.question.check.job_id]]
}

output "leak" {
  value = "token ${var.token}" # ERROR: Output refers to sensitive values | add sensitive = true
}

output "hidden" {
  value     = "token ${var.token}"
  sensitive = true
}

output "fine" { # ERROR: Duplicate output | already declared at testdata/invalid/outputs.c2q.hcl:25
  value = 1
}

output "short" {
  value = question.top5.sql # ERROR: Invalid reference | Did you mean session.market_cap.question.top5?
}

output "unknown_session" {
  value = session.market_cp.question.top5.sql # ERROR: Reference to undeclared session | Did you mean "market_cap"?
}

output "no_key" {
  value = session.bird.question.check.sql # ERROR: Missing session instance key | like session.bird["q1"].question
}

output "bad_key" {
  value = session.bird["q3"].question.check.sql # ERROR: Reference to undeclared session instance | Did you mean "q1"?
}

output "extra_key" {
  value = session.market_cap["x"].question.top5.sql # ERROR: Unexpected session instance key
}

output "unknown_question" {
  value = session.market_cap.question.top6.sql # ERROR: Reference to undeclared question | Did you mean "top5"?
}

output "unknown_attribute" {
  value = session.market_cap.question.top5.sqll # ERROR: Unsupported attribute | Did you mean "sql"?
}

output "session_attribute" {
  value = session.market_cap.questions # ERROR: Unsupported attribute | Did you mean "question"?
}

output "self" {
  value = self.sql # ERROR: Invalid "self" reference
}

output "empty" { # ERROR: Missing required argument | "value" is required
  description = "nothing"
}

output "2bad" { # ERROR: Invalid output name
  value = 1
}

variable "hidden_customer" {
  type      = string
  default   = "Apple Inc."
  sensitive = true
}

output "rank_through_try" {
  value = try(index([for r in session.market_cap.question.top5.rows : r[0]], var.hidden_customer) + 1, "none") # ERROR: Output refers to sensitive values
}
