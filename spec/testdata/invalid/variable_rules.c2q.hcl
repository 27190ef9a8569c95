# Variable declarations: sensitive, nullable and validation blocks.

variable "limit" {
  type    = number
  default = 500

  validation {
    condition     = var.limit <= var.max_limit # ERROR: Invalid value for variable | The limit 500 is above 100.
    error_message = "The limit ${var.limit} is above ${var.max_limit}."
  }

  validation {
    condition     = var.limit > 0 # fine
    error_message = "The limit must be positive."
  }
}

variable "max_limit" {
  type    = number
  default = 100
}

variable "password" {
  type      = string
  default   = "hunter2-secret"
  sensitive = true

  validation {
    condition     = length(var.password) > 20 # ERROR: Invalid value for variable | The error message included a sensitive value
    error_message = "The password ${var.password} is too short."
  }
}

variable "not_bool" {
  default = "x"

  validation {
    condition     = var.not_bool # ERROR: Invalid variable validation result | must return true or false, not a string
    error_message = "Never shown."
  }
}

variable "uses_local" {
  default = "x"

  validation {
    condition     = local.ok # ERROR: Unknown variable | Expressions here can refer to input variables as var.NAME.
    error_message = "Never shown."
  }
}

variable "no_message" {
  default = 1

  validation { # ERROR: Missing required argument | "error_message" is required
    condition = true
  }
}

variable "never_null" {
  type     = string
  nullable = false
  default  = null # ERROR: Invalid default value for variable | not valid when nullable = false
}

variable "flags" {
  sensitive = "very" # ERROR: Incorrect attribute value type | a bool is required
  nullable  = var.limit # ERROR: Variables not allowed
  default   = 1
}
