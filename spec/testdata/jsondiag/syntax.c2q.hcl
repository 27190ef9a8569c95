session "s" {
  database = 
}
