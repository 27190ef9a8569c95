variable "private_key" {
  default   = "from-a-variable"
  sensitive = true
}

chat2query {
  public_key  = "60PFUD3B" # WARNING: Credentials in a configuration file | C2Q_PUBLIC_KEY and C2Q_PRIVATE_KEY
  private_key = var.private_key
}

chat2query { # ERROR: Duplicate chat2query block
  public_key  = null
  private_key = "66d96f4c-a5aa-41d3-8ca2-cc45b7ed4711" # WARNING: Credentials in a configuration file | The private_key is written in the configuration
}
