# Regression questions on the sp500insight sample database.
# Run them offline against the embedded emulator:
#   go run . apply -emulator examples/sp500
# or against your Chat2Query Data App with C2Q_URL, C2Q_PUBLIC_KEY and
# C2Q_PRIVATE_KEY set, and -var cluster_id=YOUR_CLUSTER; the match = "result"
# check of session.sectors also needs C2Q_VERIFY_DSN, a MySQL DSN of that
# cluster, to run its expected SQL on.

variable "cluster_id" {
  type        = string
  default     = "10140100115280519574"
  description = "The TiDB Cloud cluster that holds the sample database."
}

variable "database" {
  type    = string
  default = "sp500insight"
}

chat2query {
  # url, public_key and private_key come from C2Q_URL, C2Q_PUBLIC_KEY and C2Q_PRIVATE_KEY.
  timeout = "2m"
}
