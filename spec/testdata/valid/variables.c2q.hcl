variable "database" {
  type        = string
  default     = "sp500insight"
  description = "The database every session asks about."
}

variable "cluster_id" {
  # No type: -var and C2Q_VAR_cluster_id values are taken as strings.
  default = "10140100115280519574"
}

variable "limit" {
  type    = number
  default = 5
}

variable "sectors" {
  type    = list(string)
  default = ["Technology", "Energy"]
}

variable "settings" {
  type = object({
    mode    = optional(string, "direct")
    timeout = optional(string)
  })
  default = {}
}
