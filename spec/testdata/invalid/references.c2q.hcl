variable "database" {
  type    = string
  default = "sp500insight"
}

variable "derived" {
  default = var.database # ERROR: Variables not allowed
}

variable "called" {
  default = upper("x") # ERROR: Function calls not allowed
}

variable "typed" {
  type    = strin # ERROR: Invalid type specification
  default = "x"
}

variable "mismatch" {
  type    = number
  default = "many" # ERROR: Invalid default value for variable | a number is required
}

variable "required" { # ERROR: No value for required variable | set it with -var required=..., in a -var-file or *.auto.c2qvars file, or with the environment variable C2Q_VAR_required
  type = string
}

chat2query {
  url = var.url # ERROR: Reference to undeclared input variable | It can be declared with a variable "url" {} block.
}

session "s" {
  cluster_id = local.cluster # ERROR: Reference to undeclared local value | It can be declared in a locals block.
  database   = var.databse # ERROR: Reference to undeclared input variable | Did you mean "database"?
  name       = var # ERROR: Invalid reference | cannot be accessed directly

  question "q" {
    ask  = "In ${var["database"]}?" # ERROR: Invalid reference | does not support this operation
    mode = vars.mode # ERROR: Unknown variable | Did you mean "var"?
  }

  question "uses_required" {
    # No second error: var.required is unknown after its own error.
    ask = "About ${var.required}?"
  }
}
