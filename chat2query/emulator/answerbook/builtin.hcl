# The built-in answer book of the emulator, for the sp500insight sample database.
# Format and matching rule: see doc.go. Every entry is exercised by builtin_test.go: its SQL runs
# against the emulated database and its example questions reach it, and only it.

# ---------------------------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------------------------

answer "top_market_cap" {
  match = [
    "(?i)\\b(five|5)\\b.*\\b(largest|biggest|highest|top)\\b.*market ?cap",
    "(?i)\\btop (five|5)\\b.*market ?cap",
    "(?i)\\b(largest|biggest|highest)\\b.*market ?cap.*\\b(five|5)\\b",
    "(?i)\\b(five|5) (most valuable|largest|biggest) (companies|stocks)\\b",
    "(?i)\\btop (five|5) (companies|stocks) by market value\\b",
  ]
  sql            = "SELECT `company_name`, `market_cap` FROM `companies` ORDER BY `market_cap` DESC LIMIT 5;"
  clarified_task = "Find the five companies with the largest market capitalization."
  assumptions = [
    { concept = "market cap", explanation = "The market_cap column of companies, in USD at the end of 2024." },
  ]
  chart {
    name  = "BarChart"
    title = "Top 5 Companies by Market Cap"
    x     = "company_name"
    y     = "market_cap"
  }
}

answer "company_count" {
  match = [
    "(?i)^how many (companies|stocks) (are there|do we have|are in the (s&p ?500|database|index))\\??$",
    "(?i)\\b(total )?number of (companies|stocks)( in the (s&p ?500|database))?\\??$",
  ]
  sql            = "SELECT COUNT(`stock_symbol`) AS `total_companies` FROM `companies`;"
  clarified_task = "Count the companies in the database."
}

answer "largest_company" {
  match = [
    "(?i)\\bwhich (company|stock) has the (largest|biggest|highest) market ?cap(italization)?\\??$",
    "(?i)\\b(what|which) is the (most valuable|largest|biggest) (company|stock)\\??$",
  ]
  sql            = "SELECT `company_name`, `market_cap` FROM `companies` ORDER BY `market_cap` DESC LIMIT 1;"
  clarified_task = "Find the company with the largest market capitalization."
}

answer "largest_company_hq" {
  after = ["largest_company"]
  match = [
    "(?i)\\bwhere is (it|its (hq|headquarters)|the company)\\b",
    "(?i)\\bits (hq|headquarters|head office)\\b",
  ]
  sql            = "SELECT `company_name`, `city`, `state`, `country` FROM `companies` ORDER BY `market_cap` DESC LIMIT 1;"
  clarified_task = "Find the headquarters of the company with the largest market capitalization."
}

answer "total_market_cap" {
  match = [
    "(?i)\\b(total|combined|aggregate) market ?cap(italization)? of (all (the )?companies|the (s&p ?500|index|market|database))\\??$",
    "(?i)^what is the (total|combined|aggregate) market ?cap(italization)?\\??$",
  ]
  sql            = "SELECT SUM(`market_cap`) AS `total_market_cap` FROM `companies`;"
  clarified_task = "Compute the total market capitalization of all companies."
}

answer "tech_companies" {
  match = [
    "(?i)\\b(tech|technology|information technology|it) sector\\b",
    "(?i)\\b(list|show|which|what)\\b.*\\btech(nology)? (companies|stocks)\\b",
  ]
  sql            = "SELECT `company_name`, `industry`, `market_cap` FROM `companies` WHERE `sector` = 'Information Technology' ORDER BY `market_cap` DESC;"
  clarified_task = "List the companies of the Information Technology sector, the largest first."
  assumptions = [
    { concept = "tech sector", explanation = "The GICS Information Technology sector; Alphabet and Meta (Communication Services) and Amazon (Consumer Discretionary) belong to other sectors." },
  ]
}

answer "tech_companies_semiconductors" {
  after = ["tech_companies"]
  match = [
    "(?i)\\b(semiconductors?|semis|chip ?makers?|chips?)\\b",
  ]
  sql            = "SELECT `company_name`, `market_cap` FROM `companies` WHERE `sector` = 'Information Technology' AND `industry` = 'Semiconductors' ORDER BY `market_cap` DESC;"
  clarified_task = "List the semiconductor companies of the Information Technology sector, the largest first."
}

answer "top_market_cap_sectors" {
  after = ["top_market_cap"]
  match = [
    "(?i)\\b(which|what) (sectors?|industr(y|ies))\\b.*\\b(they|those|these|them|each)\\b",
    "(?i)\\b(their|those|these) (companies'? )?sectors?\\b",
  ]
  sql            = "SELECT `company_name`, `sector`, `industry` FROM `companies` ORDER BY `market_cap` DESC LIMIT 5;"
  clarified_task = "Find the sector and industry of each of the five companies with the largest market capitalization."
}

answer "top_market_cap_smallest" {
  after = ["top_market_cap", "top_market_cap_sectors"]
  match = [
    "(?i)^(and|what about|how about) the (smallest|lowest|least valuable)( ones| five| 5)?\\??$",
    "(?i)\\b(the )?(smallest|lowest) (ones|five|5)\\b",
  ]
  sql            = "SELECT `company_name`, `market_cap` FROM `companies` ORDER BY `market_cap` ASC LIMIT 5;"
  clarified_task = "Find the five companies with the smallest market capitalization."
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "market_cap"
  }
}

answer "bottom_market_cap" {
  match = [
    "(?i)\\b(smallest|lowest)\\b.*market ?cap",
    "(?i)market ?cap.*\\b(smallest|lowest)\\b",
  ]
  sql            = "SELECT `company_name`, `market_cap` FROM `companies` ORDER BY `market_cap` ASC LIMIT 5;"
  clarified_task = "Find the five companies with the smallest market capitalization."
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "market_cap"
  }
}

answer "company_count_by_sector" {
  match = [
    "(?i)\\bhow many (companies|stocks)\\b.*\\b(each|every|per|by)\\b.*\\bsector",
    "(?i)\\b(number|count) of (companies|stocks)\\b.*\\b(each|every|per|by)\\b.*\\bsector",
    "(?i)\\b(companies|stocks) (per|by) sector\\b",
    "(?i)\\bwhich sector has the most (companies|stocks)\\b",
    "(?i)\\b(companies|stocks) (distributed|spread) (across|over|among) (the )?sectors\\b",
  ]
  sql            = "SELECT `sector`, COUNT(`stock_symbol`) AS `company_count` FROM `companies` GROUP BY `sector` ORDER BY `company_count` DESC;"
  clarified_task = "Count the companies in each sector."
  chart {
    name  = "PieChart"
    label = "sector"
    value = "company_count"
  }
}

answer "sector_market_cap_share" {
  after = ["company_count_by_sector"]
  match = [
    "(?i)^(and|what|how) about\\b.*\\bmarket ?cap",
    "(?i)^and (by|their|in) (total )?market ?cap",
    "(?i)\\b(share|percentage|proportion|fraction)\\b.*\\bmarket ?cap",
  ]
  sql            = <<-SQL
    WITH `sector_caps` AS (
      SELECT `sector`, SUM(`market_cap`) AS `total_market_cap` FROM `companies` GROUP BY `sector`
    )
    SELECT `sector`, `total_market_cap`, ROUND(100 * `total_market_cap` / SUM(`total_market_cap`) OVER (), 2) AS `market_cap_share_pct`
    FROM `sector_caps`
    ORDER BY `total_market_cap` DESC;
  SQL
  clarified_task = "Compute the total market capitalization of each sector and its share of the market capitalization of all companies."
  chart {
    name  = "PieChart"
    label = "sector"
    value = "total_market_cap"
  }
}

answer "sector_market_cap" {
  match = [
    "(?i)\\b(total|combined|aggregate|sum of)\\b.*\\bmarket ?cap.*\\b(each|every|per|by) sector",
    "(?i)\\bmarket ?cap(italization)? (of|for|by|per) (each|every) sector",
    "(?i)\\bwhich sector\\b.*\\b(largest|biggest|highest)\\b.*\\bmarket ?cap",
    "(?i)\\b(share|percentage|proportion|fraction)\\b.*\\bmarket ?cap\\b.*\\b(each|every|per|by) sector\\b",
  ]
  sql            = <<-SQL
    WITH `sector_caps` AS (
      SELECT `sector`, SUM(`market_cap`) AS `total_market_cap` FROM `companies` GROUP BY `sector`
    )
    SELECT `sector`, `total_market_cap`, ROUND(100 * `total_market_cap` / SUM(`total_market_cap`) OVER (), 2) AS `market_cap_share_pct`
    FROM `sector_caps`
    ORDER BY `total_market_cap` DESC;
  SQL
  clarified_task = "Compute the total market capitalization of each sector and its share of the market capitalization of all companies."
  chart {
    name = "BarChart"
    x    = "sector"
    y    = "total_market_cap"
  }
}

answer "largest_company_per_sector" {
  match = [
    "(?i)\\b(largest|biggest)\\b.*\\bcompan(y|ies)\\b.*\\b(in|of|for|per) (each|every) sector",
    "(?i)\\b(largest|biggest)\\b.*\\bcompan(y|ies)\\b.*\\bper sector",
    "(?i)\\b(each|every) sector'?s? (largest|biggest)\\b",
  ]
  sql            = <<-SQL
    WITH `ranked` AS (
      SELECT `sector`, `company_name`, `market_cap`, ROW_NUMBER() OVER (PARTITION BY `sector` ORDER BY `market_cap` DESC) AS `rn`
      FROM `companies`
    )
    SELECT `sector`, `company_name`, `market_cap` FROM `ranked` WHERE `rn` = 1 ORDER BY `market_cap` DESC;
  SQL
  clarified_task = "Find the company with the largest market capitalization in each sector."
  assumptions = [
    { concept = "largest", explanation = "Largest by market capitalization." },
  ]
}

answer "hq_by_state" {
  match = [
    "(?i)\\bwhich states?\\b.*\\b(most|highest number of)\\b.*\\b(headquarters|hqs?|companies)\\b",
    "(?i)\\b(companies|headquarters)\\b.*\\b(per|by|in each|in every) state\\b",
  ]
  sql            = "SELECT `state`, COUNT(`stock_symbol`) AS `company_count` FROM `companies` WHERE `state` IS NOT NULL GROUP BY `state` ORDER BY `company_count` DESC, `state`;"
  clarified_task = "Count the companies headquartered in each US state, the states with the most headquarters first."
  assumptions = [
    { concept = "state", explanation = "Companies headquartered outside the United States have no state and are left out." },
  ]
  chart {
    name = "BarChart"
    x    = "state"
    y    = "company_count"
  }
}

answer "hq_state_companies" {
  after = ["hq_by_state"]
  match = [
    "(?i)\\b(which|what|list|show)\\b.*\\b(companies|ones)\\b.*\\b(top|first|leading|that|this) (one|state)\\b",
    "(?i)\\b(which|what|list|show)\\b.*\\b(companies|ones)\\b.*\\b(are|is) (there|in it)\\??$",
  ]
  sql            = <<-SQL
    WITH `top_state` AS (
      SELECT `state` FROM `companies` WHERE `state` IS NOT NULL GROUP BY `state` ORDER BY COUNT(`stock_symbol`) DESC LIMIT 1
    )
    SELECT `c`.`company_name`, `c`.`city`, `c`.`state`
    FROM `companies` AS `c`
    JOIN `top_state` AS `t` ON `c`.`state` = `t`.`state`
    ORDER BY `c`.`city`, `c`.`company_name`;
  SQL
  clarified_task = "List the companies headquartered in the state with the most company headquarters."
}

answer "foreign_hq" {
  match = [
    "(?i)\\b(outside( of)?|not in) (the )?(us|u\\.s\\.?|usa|united states|america)\\b",
    "(?i)\\bnon-?(us|u\\.s\\.|american)\\b",
    "(?i)\\b(foreign|international|overseas)\\b.*\\b(headquarters|hqs?|companies)\\b",
  ]
  sql            = "SELECT `company_name`, `city`, `country` FROM `companies` WHERE `country` <> 'United States' ORDER BY `country`, `company_name`;"
  clarified_task = "List the companies headquartered outside the United States."
}

answer "oldest_companies" {
  match = [
    "(?i)\\boldest\\b",
    "(?i)\\b(founded|established) (the )?(earliest|first)\\b",
  ]
  sql            = "SELECT `company_name`, `founded`, `city`, `country` FROM `companies` ORDER BY `founded` ASC LIMIT 10;"
  clarified_task = "Find the ten companies that were founded earliest."
}

answer "most_employees" {
  match = [
    "(?i)\\b(most|largest number of|highest number of) (full[- ]time )?(employees|staff|workers|people)\\b",
    "(?i)\\bemploys? the most\\b",
    "(?i)\\b(largest|biggest) employers?\\b",
    "(?i)\\b(largest|biggest) (workforces?|headcounts?)\\b",
  ]
  sql            = "SELECT `company_name`, `employees` FROM `companies` ORDER BY `employees` DESC LIMIT 10;"
  clarified_task = "Find the ten companies with the most full-time employees."
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "employees"
  }
}

answer "revenue_per_employee" {
  after = ["most_employees"]
  match = [
    "(?i)\\b(their|those|these|them|they)\\b.*\\brevenue per (employee|worker|head)\\b",
    "(?i)\\brevenue per (employee|worker|head)\\b.*\\b(their|those|these|them|they)\\b",
    "(?i)^(and|what about|how about) (their )?revenue per (employee|worker|head)\\b",
  ]
  sql            = <<-SQL
    SELECT `company_name`, `employees`, `revenue`, ROUND(`revenue` / `employees`, 2) AS `revenue_per_employee`
    FROM `companies`
    ORDER BY `employees` DESC
    LIMIT 10;
  SQL
  clarified_task = "Compute the revenue per employee of the ten companies with the most employees."
}

answer "top_revenue_per_employee" {
  match = [
    "(?i)\\b(highest|most|largest|biggest|top|best)\\b.*\\brevenue per (employee|worker|head)\\b",
    "(?i)\\brevenue per (employee|worker|head)\\b.*\\b(highest|top|best)\\b",
  ]
  sql            = <<-SQL
    SELECT `company_name`, `revenue`, `employees`, ROUND(`revenue` / `employees`, 2) AS `revenue_per_employee`
    FROM `companies`
    ORDER BY `revenue_per_employee` DESC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten companies with the highest revenue per full-time employee."
}

answer "net_loss_companies" {
  match = [
    "(?i)\\b(lost money|losing money|net loss(es)?|negative (net income|earnings|profits?)|unprofitable|not profitable)\\b",
  ]
  sql            = "SELECT `company_name`, `sector`, `net_income` FROM `companies` WHERE `net_income` < 0 ORDER BY `net_income` ASC;"
  clarified_task = "List the companies with a negative net income, the largest losses first."
}

answer "profit_margin_top" {
  match = [
    "(?i)\\bcompan(y|ies)\\b.*\\b(highest|best|largest|biggest|top)\\b.*\\b(profit|net) margins?\\b",
    "(?i)\\b(highest|best|largest|biggest|top)\\b.*\\bcompan(y|ies)\\b.*\\b(profit|net) margins?\\b",
    "(?i)\\bmost profitable compan(y|ies)\\b",
  ]
  sql            = <<-SQL
    SELECT `company_name`, `revenue`, `net_income`, ROUND(100 * `net_income` / `revenue`, 2) AS `profit_margin_pct`
    FROM `companies`
    ORDER BY `profit_margin_pct` DESC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten companies with the highest net profit margin."
  assumptions = [
    { concept = "profit margin", explanation = "Net income divided by revenue, in percent." },
  ]
}

answer "profit_margin_by_sector" {
  match = [
    "(?i)\\b(profit|net) margins?\\b.*\\b(each|every|per|by) sector",
    "(?i)\\bsectors?\\b.*\\b(profit|net) margins?\\b",
    "(?i)\\b(which|what) sectors?\\b.*\\bmost profitable\\b",
    "(?i)\\bmost profitable sectors?\\b",
  ]
  sql            = <<-SQL
    SELECT `sector`, ROUND(100 * SUM(`net_income`) / SUM(`revenue`), 2) AS `profit_margin_pct`, ROUND(AVG(100 * `net_income` / `revenue`), 2) AS `avg_company_margin_pct`
    FROM `companies`
    GROUP BY `sector`
    ORDER BY `profit_margin_pct` DESC;
  SQL
  clarified_task = "Compute the net profit margin of each sector."
  assumptions = [
    { concept = "profit margin", explanation = "Net income divided by revenue, in percent." },
    { concept = "sector margin", explanation = "The sector's total net income over its total revenue; the average of its companies' margins is shown too." },
  ]
  chart {
    name = "BarChart"
    x    = "sector"
    y    = "profit_margin_pct"
  }
}

answer "highest_dividend_yield" {
  match = [
    "(?i)\\b(stocks?|compan(y|ies)|shares)\\b.*\\b(highest|best|top|largest|biggest)\\b.*\\bdividends?( yields?)?\\b",
    "(?i)\\b(top|best|biggest|largest)( [0-9]+| ten| five)? dividend (payers|stocks)\\b",
  ]
  sql            = "SELECT `company_name`, `sector`, `dividend_yield` FROM `companies` WHERE `dividend_yield` IS NOT NULL ORDER BY `dividend_yield` DESC LIMIT 10;"
  clarified_task = "Find the ten companies with the highest dividend yield."
  assumptions = [
    { concept = "dividend yield", explanation = "The annual dividend in percent of the share price; companies without a dividend are left out." },
  ]
}

answer "dividend_by_sector" {
  match = [
    "(?i)\\bdividends?( yields?)?\\b.*\\b(each|every|per|by) sector\\b",
    "(?i)\\bsectors?\\b.*\\b(highest|most|largest|biggest|best)\\b.*\\bdividends?( yields?)?\\b",
  ]
  sql            = <<-SQL
    SELECT `sector`, ROUND(AVG(`dividend_yield`), 2) AS `avg_dividend_yield`, COUNT(`dividend_yield`) AS `dividend_payers`, COUNT(`stock_symbol`) AS `company_count`
    FROM `companies`
    GROUP BY `sector`
    ORDER BY `avg_dividend_yield` DESC;
  SQL
  clarified_task = "Compute the average dividend yield of the dividend-paying companies of each sector."
  assumptions = [
    { concept = "average dividend yield", explanation = "Companies that pay no dividend (NULL dividend_yield) are left out of the average but counted in company_count." },
  ]
  chart {
    name = "BarChart"
    x    = "sector"
    y    = "avg_dividend_yield"
  }
}

answer "no_dividend_companies" {
  match = [
    "(?i)\\b(don'?t|do not|doesn'?t|does not|never) pay (a |any )?dividends?\\b",
    "(?i)\\b(no|without( a| any)?) dividends?\\b",
  ]
  sql            = "SELECT `company_name`, `sector` FROM `companies` WHERE `dividend_yield` IS NULL ORDER BY `sector`, `company_name`;"
  clarified_task = "List the companies that pay no dividend."
}

answer "exchange_breakdown" {
  match = [
    "(?i)\\b(nyse|new york stock exchange)\\b.*\\bnasdaq\\b",
    "(?i)\\bnasdaq\\b.*\\b(nyse|new york stock exchange)\\b",
    "(?i)\\b(each|every|per|by|which) (stock )?exchange\\b",
    "(?i)\\bhow many (companies|stocks)\\b.*\\b(listed|trade|traded) on (the )?(nyse|nasdaq)\\b",
  ]
  sql            = "SELECT `exchange_symbol`, COUNT(`stock_symbol`) AS `company_count`, SUM(`market_cap`) AS `total_market_cap` FROM `companies` GROUP BY `exchange_symbol` ORDER BY `company_count` DESC;"
  clarified_task = "Count the companies listed on each stock exchange and add up their market capitalization."
  chart {
    name  = "PieChart"
    label = "exchange_symbol"
    value = "company_count"
  }
}

answer "sector_revenue" {
  match = [
    "(?i)\\brevenues?\\b.*\\b(each|every|per|by) sector\\b",
    "(?i)\\bsectors?\\b.*\\b(highest|most|largest|biggest)\\b.*\\brevenues?\\b",
  ]
  sql            = "SELECT `sector`, SUM(`revenue`) AS `total_revenue` FROM `companies` GROUP BY `sector` ORDER BY `total_revenue` DESC;"
  clarified_task = "Compute the total revenue of the companies of each sector."
  chart {
    name = "BarChart"
    x    = "sector"
    y    = "total_revenue"
  }
}

# ---------------------------------------------------------------------------------------------
# Indexes
# ---------------------------------------------------------------------------------------------

answer "dow_members" {
  match = [
    "(?i)\\b(which|what) (companies|stocks) are (in|part of|members of|included in) the (dow|djia|dji)\\b",
    "(?i)\\b(list|show)( me)?( all)? the (dow|djia|dji)( jones)?( industrial average)? (members|constituents|components|companies|stocks)\\b",
    "(?i)^(show|list|what are|which are)( me)? the (members|constituents|components) of the (dow|djia|dji)\\b",
    "(?i)^what are the (dow|djia)( jones)?( 30)? (stocks|companies|members)\\b",
    "(?i)\\b(dow|djia|dji)( jones)? (stocks|companies|members)\\b.*\\b(weights?|weighting)\\b",
  ]
  sql            = <<-SQL
    SELECT `c`.`company_name`, `i`.`stock_symbol`, `i`.`weight`
    FROM `index_compositions` AS `i`
    JOIN `companies` AS `c` ON `i`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `i`.`index_symbol` = 'DJI'
    ORDER BY `i`.`weight` DESC;
  SQL
  clarified_task = "List the companies in the Dow Jones Industrial Average with their index weights."
  assumptions = [
    { concept = "Dow Jones", explanation = "The Dow Jones Industrial Average, index_symbol DJI; it is price-weighted." },
  ]
}

answer "dow_members_added" {
  after = ["dow_members"]
  match = [
    "(?i)\\bwhen (were|did) (they|those|these|them|each)\\b.*\\b(added|join|joined|included)\\b",
    "(?i)\\bwhich (of (them|these|those)|ones?)\\b.*\\b(added|joined)\\b",
  ]
  sql            = <<-SQL
    SELECT `c`.`company_name`, `i`.`added_date`
    FROM `index_compositions` AS `i`
    JOIN `companies` AS `c` ON `i`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `i`.`index_symbol` = 'DJI'
    ORDER BY `i`.`added_date` DESC;
  SQL
  clarified_task = "Show when each company of the Dow Jones Industrial Average was added to the index, the most recent first."
}

answer "dow_recent_additions" {
  match = [
    "(?i)\\b(added|joined|included)\\b.*\\b(dow|djia|dji)\\b.*\\b2024\\b",
    "(?i)\\b2024\\b.*\\b(added|joined)\\b.*\\b(dow|djia|dji)\\b",
    "(?i)\\b(new|newest|recent|latest) (additions?|members|companies) (to|of|in) the (dow|djia|dji)\\b",
  ]
  sql            = <<-SQL
    SELECT `c`.`company_name`, `i`.`added_date`
    FROM `index_compositions` AS `i`
    JOIN `companies` AS `c` ON `i`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `i`.`index_symbol` = 'DJI' AND YEAR(`i`.`added_date`) = 2024
    ORDER BY `i`.`added_date`;
  SQL
  clarified_task = "List the companies that were added to the Dow Jones Industrial Average in 2024."
}

answer "index_member_counts" {
  match = [
    "(?i)\\bhow many (companies|stocks|members|constituents)\\b.*\\b(each|every|per) index\\b",
    "(?i)\\b(size|number of (members|constituents|companies|stocks)) (of|in) (each|every) index\\b",
    "(?i)\\b(count|number) of (companies|stocks) (per|by) index\\b",
  ]
  sql            = "SELECT `index_symbol`, COUNT(`stock_symbol`) AS `member_count` FROM `index_compositions` GROUP BY `index_symbol` ORDER BY `member_count` DESC;"
  clarified_task = "Count the constituents of each stock index."
}

answer "nasdaq100_top_weights" {
  match = [
    "(?i)\\b(top|largest|biggest|heaviest)\\b.*\\b(holdings|weights?|weighted|constituents|components|members|positions)\\b.*\\b(nasdaq[- ]?100|ndx)\\b",
    "(?i)\\b(nasdaq[- ]?100|ndx)\\b.*\\b(top|largest|biggest|heaviest)\\b",
    "(?i)\\b(nasdaq[- ]?100|ndx)\\b.*\\bweights\\b",
    "(?i)\\b(largest|biggest|top) (companies|stocks|members|constituents)\\b.*\\b(nasdaq[- ]?100|ndx)\\b",
  ]
  sql            = <<-SQL
    SELECT `c`.`company_name`, `i`.`weight`
    FROM `index_compositions` AS `i`
    JOIN `companies` AS `c` ON `i`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `i`.`index_symbol` = 'NDX'
    ORDER BY `i`.`weight` DESC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten constituents with the largest weight in the Nasdaq-100."
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "weight"
  }
}

answer "in_all_indexes" {
  match = [
    "(?i)\\b(all|every) (three |3 )?(index|indices|indexes)\\b",
    "(?i)\\bevery one of the (three |3 )?(index|indices|indexes)\\b",
  ]
  sql            = <<-SQL
    SELECT `c`.`company_name`, COUNT(DISTINCT `i`.`index_symbol`) AS `index_count`
    FROM `index_compositions` AS `i`
    JOIN `companies` AS `c` ON `i`.`stock_symbol` = `c`.`stock_symbol`
    GROUP BY `c`.`company_name`
    HAVING COUNT(DISTINCT `i`.`index_symbol`) = 3
    ORDER BY `c`.`company_name`;
  SQL
  clarified_task = "List the companies that are constituents of all three indexes: SPX, NDX and DJI."
}

answer "sp500_sector_weights" {
  match = [
    "(?i)\\bsectors?\\b.*\\b(weights?|weighting|weighted|allocation|composition|breakdown)\\b.*\\b(s&p ?500|s&p|sp ?500|spx)\\b",
    "(?i)\\b(s&p ?500|s&p|sp ?500|spx)\\b.*\\bsectors?\\b.*\\b(weights?|weighting|weighted|allocation|composition|breakdown)\\b",
    "(?i)\\b(s&p ?500|s&p|sp ?500|spx)\\b.*\\b(weights?|weighting|weighted)\\b.*\\bsectors?\\b",
  ]
  sql            = <<-SQL
    SELECT `c`.`sector`, SUM(`i`.`weight`) AS `index_weight`
    FROM `index_compositions` AS `i`
    JOIN `companies` AS `c` ON `i`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `i`.`index_symbol` = 'SPX'
    GROUP BY `c`.`sector`
    ORDER BY `index_weight` DESC;
  SQL
  clarified_task = "Compute the weight of each sector in the S&P 500."
  chart {
    name  = "PieChart"
    label = "sector"
    value = "index_weight"
  }
}

answer "sector_weights_ndx" {
  after = ["sp500_sector_weights", "sector_weights_dji"]
  match = [
    "(?i)^(and|what about|how about|now)( for| about)?( the)? (nasdaq[- ]?100|ndx|nasdaq)\\b",
    "(?i)\\b(same|that|this)\\b.*\\b(nasdaq[- ]?100|ndx)\\b",
  ]
  sql            = <<-SQL
    SELECT `c`.`sector`, SUM(`i`.`weight`) AS `index_weight`
    FROM `index_compositions` AS `i`
    JOIN `companies` AS `c` ON `i`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `i`.`index_symbol` = 'NDX'
    GROUP BY `c`.`sector`
    ORDER BY `index_weight` DESC;
  SQL
  clarified_task = "Compute the weight of each sector in the Nasdaq-100."
  chart {
    name  = "PieChart"
    label = "sector"
    value = "index_weight"
  }
}

answer "sector_weights_dji" {
  after = ["sp500_sector_weights", "sector_weights_ndx"]
  match = [
    "(?i)^(and|what about|how about|now)( for| about)?( the)? (dow|djia|dji)\\b",
    "(?i)\\b(same|that|this)\\b.*\\b(dow|djia|dji)\\b",
  ]
  sql            = <<-SQL
    SELECT `c`.`sector`, SUM(`i`.`weight`) AS `index_weight`
    FROM `index_compositions` AS `i`
    JOIN `companies` AS `c` ON `i`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `i`.`index_symbol` = 'DJI'
    GROUP BY `c`.`sector`
    ORDER BY `index_weight` DESC;
  SQL
  clarified_task = "Compute the weight of each sector in the Dow Jones Industrial Average."
  assumptions = [
    { concept = "weight", explanation = "The Dow Jones Industrial Average is price-weighted, so sector weights follow share prices, not market capitalization." },
  ]
  chart {
    name  = "PieChart"
    label = "sector"
    value = "index_weight"
  }
}

# ---------------------------------------------------------------------------------------------
# Stock prices
# ---------------------------------------------------------------------------------------------

answer "best_performers_2024" {
  match = [
    "(?i)\\b(best|top|strongest)[- ]performing (stocks?|compan(y|ies)|shares)\\b",
    "(?i)\\b(best|top|strongest) performers\\b",
    "(?i)\\b(stocks?|compan(y|ies)|shares)\\b.*\\bperformed (the )?best\\b",
    "(?i)\\b(stocks?|compan(y|ies)|shares)\\b.*\\b(biggest|largest|highest|top) (gains?|returns?|price increases?)\\b",
    "(?i)\\b(stocks?|compan(y|ies)|shares)\\b.*\\b(rose|gained|increased|went up|grew) the most\\b",
    "(?i)\\b(top|biggest) gainers\\b",
  ]
  sql            = <<-SQL
    WITH `bounds` AS (
      SELECT `stock_symbol`, MIN(`record_date`) AS `first_day`, MAX(`record_date`) AS `last_day`
      FROM `stock_prices`
      WHERE YEAR(`record_date`) = 2024
      GROUP BY `stock_symbol`
    )
    SELECT `c`.`company_name`, `f`.`close` AS `first_close`, `l`.`close` AS `last_close`, ROUND(100 * (`l`.`close` - `f`.`close`) / `f`.`close`, 2) AS `return_pct`
    FROM `bounds` AS `b`
    JOIN `stock_prices` AS `f` ON `f`.`stock_symbol` = `b`.`stock_symbol` AND `f`.`record_date` = `b`.`first_day`
    JOIN `stock_prices` AS `l` ON `l`.`stock_symbol` = `b`.`stock_symbol` AND `l`.`record_date` = `b`.`last_day`
    JOIN `companies` AS `c` ON `c`.`stock_symbol` = `b`.`stock_symbol`
    ORDER BY `return_pct` DESC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten stocks with the highest price return in 2024."
  assumptions = [
    { concept = "return", explanation = "The change of the closing price from the first to the last trading day of 2024, in percent; dividends are not included." },
  ]
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "return_pct"
  }
}

answer "best_performers_worst" {
  after = ["best_performers_2024"]
  match = [
    "(?i)^(and|what about|how about) the (worst|weakest|biggest losers|losers)\\b",
    "(?i)^(and )?(the )?worst( ones| performers| five| ten| 5| 10)?\\??$",
  ]
  sql            = <<-SQL
    WITH `bounds` AS (
      SELECT `stock_symbol`, MIN(`record_date`) AS `first_day`, MAX(`record_date`) AS `last_day`
      FROM `stock_prices`
      WHERE YEAR(`record_date`) = 2024
      GROUP BY `stock_symbol`
    )
    SELECT `c`.`company_name`, `f`.`close` AS `first_close`, `l`.`close` AS `last_close`, ROUND(100 * (`l`.`close` - `f`.`close`) / `f`.`close`, 2) AS `return_pct`
    FROM `bounds` AS `b`
    JOIN `stock_prices` AS `f` ON `f`.`stock_symbol` = `b`.`stock_symbol` AND `f`.`record_date` = `b`.`first_day`
    JOIN `stock_prices` AS `l` ON `l`.`stock_symbol` = `b`.`stock_symbol` AND `l`.`record_date` = `b`.`last_day`
    JOIN `companies` AS `c` ON `c`.`stock_symbol` = `b`.`stock_symbol`
    ORDER BY `return_pct` ASC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten stocks with the lowest price return in 2024."
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "return_pct"
  }
}

answer "worst_performers_2024" {
  match = [
    "(?i)\\b(worst|weakest)[- ]performing (stocks?|compan(y|ies)|shares)\\b",
    "(?i)\\b(worst|weakest) performers\\b",
    "(?i)\\b(stocks?|compan(y|ies)|shares)\\b.*\\bperformed (the )?worst\\b",
    "(?i)\\b(stocks?|compan(y|ies)|shares)\\b.*\\b(fell|dropped|declined|lost|went down) the most\\b",
    "(?i)\\b(biggest|top) losers\\b",
  ]
  sql            = <<-SQL
    WITH `bounds` AS (
      SELECT `stock_symbol`, MIN(`record_date`) AS `first_day`, MAX(`record_date`) AS `last_day`
      FROM `stock_prices`
      WHERE YEAR(`record_date`) = 2024
      GROUP BY `stock_symbol`
    )
    SELECT `c`.`company_name`, `f`.`close` AS `first_close`, `l`.`close` AS `last_close`, ROUND(100 * (`l`.`close` - `f`.`close`) / `f`.`close`, 2) AS `return_pct`
    FROM `bounds` AS `b`
    JOIN `stock_prices` AS `f` ON `f`.`stock_symbol` = `b`.`stock_symbol` AND `f`.`record_date` = `b`.`first_day`
    JOIN `stock_prices` AS `l` ON `l`.`stock_symbol` = `b`.`stock_symbol` AND `l`.`record_date` = `b`.`last_day`
    JOIN `companies` AS `c` ON `c`.`stock_symbol` = `b`.`stock_symbol`
    ORDER BY `return_pct` ASC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten stocks with the lowest price return in 2024."
  assumptions = [
    { concept = "return", explanation = "The change of the closing price from the first to the last trading day of 2024, in percent; dividends are not included." },
  ]
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "return_pct"
  }
}

answer "sector_performance_2024" {
  match = [
    "(?i)\\bsectors?\\b.*\\b(perform|performed|performance|returns?|gains?)\\b",
    "(?i)\\b(performance|returns?)\\b.*\\b(each|every|per|by) sector\\b",
    "(?i)\\bsectors?\\b.*\\b(did|done|fared) (best|worst|well|badly)\\b",
  ]
  sql            = <<-SQL
    WITH `bounds` AS (
      SELECT `stock_symbol`, MIN(`record_date`) AS `first_day`, MAX(`record_date`) AS `last_day`
      FROM `stock_prices`
      WHERE YEAR(`record_date`) = 2024
      GROUP BY `stock_symbol`
    ),
    `returns` AS (
      SELECT `b`.`stock_symbol`, 100 * (`l`.`close` - `f`.`close`) / `f`.`close` AS `return_pct`
      FROM `bounds` AS `b`
      JOIN `stock_prices` AS `f` ON `f`.`stock_symbol` = `b`.`stock_symbol` AND `f`.`record_date` = `b`.`first_day`
      JOIN `stock_prices` AS `l` ON `l`.`stock_symbol` = `b`.`stock_symbol` AND `l`.`record_date` = `b`.`last_day`
    )
    SELECT `c`.`sector`, ROUND(AVG(`r`.`return_pct`), 2) AS `avg_return_pct`, COUNT(`r`.`stock_symbol`) AS `company_count`
    FROM `returns` AS `r`
    JOIN `companies` AS `c` ON `c`.`stock_symbol` = `r`.`stock_symbol`
    GROUP BY `c`.`sector`
    ORDER BY `avg_return_pct` DESC;
  SQL
  clarified_task = "Compute the average 2024 price return of the stocks of each sector."
  assumptions = [
    { concept = "sector return", explanation = "The unweighted average of the 2024 price returns of the sector's companies." },
  ]
  chart {
    name = "BarChart"
    x    = "sector"
    y    = "avg_return_pct"
  }
}

answer "aapl_monthly_close" {
  match = [
    "(?i)\\bmonthly\\b.*\\b(apple|aapl)\\b",
    "(?i)\\b(apple|aapl)('s)?\\b.*\\b(monthly|each month|per month|by month|every month)\\b",
  ]
  sql            = <<-SQL
    SELECT DATE_FORMAT(`record_date`, '%Y-%m') AS `month`, ROUND(AVG(`close`), 2) AS `avg_close`
    FROM `stock_prices`
    WHERE `stock_symbol` = 'AAPL' AND YEAR(`record_date`) = 2024
    GROUP BY DATE_FORMAT(`record_date`, '%Y-%m')
    ORDER BY `month`;
  SQL
  clarified_task = "Compute Apple's average closing price for each month of 2024."
  chart {
    name = "LineChart"
    x    = "month"
    y    = "avg_close"
  }
}

answer "monthly_close_compare_msft" {
  after = ["aapl_monthly_close"]
  match = [
    "(?i)\\b(compare|comparison|versus|vs\\.?|against|alongside|together with|add)\\b.*\\b(microsoft|msft)\\b",
    "(?i)^(and|what about|how about)( for)? (microsoft|msft)\\b",
  ]
  sql            = <<-SQL
    SELECT DATE_FORMAT(`record_date`, '%Y-%m') AS `month`, `stock_symbol`, ROUND(AVG(`close`), 2) AS `avg_close`
    FROM `stock_prices`
    WHERE `stock_symbol` IN ('AAPL', 'MSFT') AND YEAR(`record_date`) = 2024
    GROUP BY DATE_FORMAT(`record_date`, '%Y-%m'), `stock_symbol`
    ORDER BY `month`, `stock_symbol`;
  SQL
  clarified_task = "Compare the average closing prices of Apple and Microsoft for each month of 2024."
  chart {
    name         = "LineChart"
    x            = "month"
    y            = "avg_close"
    pivot_column = "stock_symbol"
  }
}

answer "nvda_price_trend" {
  match = [
    "(?i)\\b(nvidia|nvda)('s)?\\b.*\\b(price|stock|shares?)\\b.*\\b(change|changed|trend|move|moved|evolve|evolved|develop|developed|do|did|perform|performed|over)\\b",
    "(?i)\\b(chart|plot|show|graph)\\b.*\\b(nvidia|nvda)('s)?\\b.*\\b(price|close|closing)\\b",
  ]
  sql            = <<-SQL
    SELECT `record_date`, `close`
    FROM `stock_prices`
    WHERE `stock_symbol` = 'NVDA' AND YEAR(`record_date`) = 2024
    ORDER BY `record_date`;
  SQL
  clarified_task = "Show NVIDIA's daily closing price over 2024."
  chart {
    name = "LineChart"
    x    = "record_date"
    y    = "close"
  }
}

answer "nvda_moving_average" {
  after = ["nvda_price_trend"]
  match = [
    "(?i)\\bmoving average\\b",
    "(?i)\\b(20|twenty)[- ]day (average|mean|ma)\\b",
    "(?i)\\brolling (average|mean)\\b",
  ]
  sql            = <<-SQL
    SELECT `record_date`, `close`, ROUND(AVG(`close`) OVER (ORDER BY `record_date` ROWS BETWEEN 19 PRECEDING AND CURRENT ROW), 2) AS `moving_avg_20d`
    FROM `stock_prices`
    WHERE `stock_symbol` = 'NVDA' AND YEAR(`record_date`) = 2024
    ORDER BY `record_date`;
  SQL
  clarified_task = "Show NVIDIA's daily closing price over 2024 with its 20-day moving average."
  assumptions = [
    { concept = "moving average", explanation = "The average close of the day and the 19 trading days before it." },
  ]
  chart {
    name = "LineChart"
    x    = "record_date"
    y    = ["close", "moving_avg_20d"]
  }
}

answer "nvda_biggest_daily_moves" {
  after = ["nvda_price_trend", "nvda_moving_average"]
  match = [
    "(?i)\\b(biggest|largest|greatest|sharpest)\\b.*\\b(daily|one-day|single-day|day)\\b.*\\b(moves?|changes?|swings?|jumps?|drops?|gains?)\\b",
    "(?i)\\b(biggest|largest|greatest|sharpest) (price )?(moves?|swings?|jumps?)\\b",
  ]
  sql            = <<-SQL
    WITH `daily` AS (
      SELECT `record_date`, `close`, LAG(`close`) OVER (ORDER BY `record_date`) AS `prev_close`
      FROM `stock_prices`
      WHERE `stock_symbol` = 'NVDA' AND YEAR(`record_date`) = 2024
    )
    SELECT `record_date`, `prev_close`, `close`, ROUND(100 * (`close` - `prev_close`) / `prev_close`, 2) AS `change_pct`
    FROM `daily`
    WHERE `prev_close` IS NOT NULL
    ORDER BY ABS(`close` - `prev_close`) / `prev_close` DESC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten trading days of 2024 on which NVIDIA's closing price changed the most from the previous close."
}

answer "highest_volume_days" {
  match = [
    "(?i)\\b(highest|largest|biggest|most|record)\\b.*\\b(trading )?volumes?\\b.*\\bdays?\\b",
    "(?i)\\bdays?\\b.*\\b(highest|largest|biggest|most|record)\\b.*\\b(trading )?volume\\b",
    "(?i)\\bdays?\\b.*\\bvolume\\b.*\\b(highest|largest|biggest)\\b",
    "(?i)\\b(busiest|most active) (trading )?(days|sessions)\\b",
  ]
  sql            = <<-SQL
    SELECT `p`.`record_date`, `c`.`company_name`, `p`.`volume`
    FROM `stock_prices` AS `p`
    JOIN `companies` AS `c` ON `p`.`stock_symbol` = `c`.`stock_symbol`
    ORDER BY `p`.`volume` DESC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten stock trading days with the highest trading volume."
}

answer "most_traded_stocks" {
  match = [
    "(?i)\\bmost (actively )?traded\\b",
    "(?i)\\b(stocks?|compan(y|ies))\\b.*\\b(highest|largest|biggest|most)\\b.*\\b(trading )?volume\\b",
    "(?i)\\b(highest|largest|biggest|top)\\b.*\\baverage (daily )?(trading )?volume\\b",
    "(?i)\\baverage (daily )?(trading )?volume (of|for|per|by) (each|every) (stock|company)\\b",
  ]
  sql            = <<-SQL
    SELECT `p`.`stock_symbol`, `c`.`company_name`, ROUND(AVG(`p`.`volume`)) AS `avg_daily_volume`
    FROM `stock_prices` AS `p`
    JOIN `companies` AS `c` ON `p`.`stock_symbol` = `c`.`stock_symbol`
    GROUP BY `p`.`stock_symbol`, `c`.`company_name`
    ORDER BY `avg_daily_volume` DESC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten stocks with the highest average daily trading volume."
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "avg_daily_volume"
  }
}

answer "volatility_top" {
  match = [
    "(?i)\\bmost volatile\\b",
    "(?i)\\bhow volatile\\b",
    "(?i)\\b(highest|largest|biggest|top)\\b.*\\bvolatility\\b",
  ]
  sql            = <<-SQL
    WITH `daily_returns` AS (
      SELECT `stock_symbol`, (`close` - LAG(`close`) OVER (PARTITION BY `stock_symbol` ORDER BY `record_date`)) / LAG(`close`) OVER (PARTITION BY `stock_symbol` ORDER BY `record_date`) AS `daily_return`
      FROM `stock_prices`
      WHERE YEAR(`record_date`) = 2024
    )
    SELECT `r`.`stock_symbol`, `c`.`company_name`, ROUND(100 * STDDEV(`r`.`daily_return`), 2) AS `daily_volatility_pct`
    FROM `daily_returns` AS `r`
    JOIN `companies` AS `c` ON `r`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `r`.`daily_return` IS NOT NULL
    GROUP BY `r`.`stock_symbol`, `c`.`company_name`
    ORDER BY `daily_volatility_pct` DESC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten stocks whose daily returns varied the most in 2024."
  assumptions = [
    { concept = "volatility", explanation = "The standard deviation of the daily close-to-close returns, in percent." },
  ]
}

answer "tsla_quarterly_close" {
  match = [
    "(?i)\\b(tesla|tsla)('s)?\\b.*\\b(quarter|quarterly|quarters|q[1-4])\\b",
    "(?i)\\b(quarter|quarterly)\\b.*\\b(tesla|tsla)\\b",
  ]
  sql            = <<-SQL
    SELECT QUARTER(`record_date`) AS `quarter`, ROUND(AVG(`close`), 2) AS `avg_close`, MIN(`low`) AS `lowest_price`, MAX(`high`) AS `highest_price`
    FROM `stock_prices`
    WHERE `stock_symbol` = 'TSLA' AND YEAR(`record_date`) = 2024
    GROUP BY QUARTER(`record_date`)
    ORDER BY `quarter`;
  SQL
  clarified_task = "Compute Tesla's average closing price and its price range for each quarter of 2024."
  chart {
    name = "BarChart"
    x    = "quarter"
    y    = "avg_close"
  }
}

answer "quarterly_close_aapl" {
  after = ["tsla_quarterly_close"]
  match = [
    "(?i)\\b(same|that|this)\\b.*\\b(apple|aapl)\\b",
    "(?i)^(and|what about|how about|now)( for)? (apple|aapl)\\b",
  ]
  sql            = <<-SQL
    SELECT QUARTER(`record_date`) AS `quarter`, ROUND(AVG(`close`), 2) AS `avg_close`, MIN(`low`) AS `lowest_price`, MAX(`high`) AS `highest_price`
    FROM `stock_prices`
    WHERE `stock_symbol` = 'AAPL' AND YEAR(`record_date`) = 2024
    GROUP BY QUARTER(`record_date`)
    ORDER BY `quarter`;
  SQL
  clarified_task = "Compute Apple's average closing price and its price range for each quarter of 2024."
  chart {
    name = "BarChart"
    x    = "quarter"
    y    = "avg_close"
  }
}

answer "aapl_up_days" {
  match = [
    "(?i)\\bhow many (trading )?days\\b.*\\b(apple|aapl)\\b.*\\b(higher|up|above|gain|gained|rose)\\b",
    "(?i)\\b(apple|aapl)('s)?\\b.*\\b(up|down) days\\b",
  ]
  sql            = <<-SQL
    SELECT SUM(CASE WHEN `close` > `open` THEN 1 ELSE 0 END) AS `up_days`, SUM(CASE WHEN `close` < `open` THEN 1 ELSE 0 END) AS `down_days`, COUNT(*) AS `trading_days`
    FROM `stock_prices`
    WHERE `stock_symbol` = 'AAPL' AND YEAR(`record_date`) = 2024;
  SQL
  clarified_task = "Count the trading days of 2024 on which Apple closed above and below its opening price."
}

answer "monthly_market_volume" {
  match = [
    "(?i)\\b(total|overall|market|combined)\\b.*\\bvolume\\b.*\\b(each|every|per|by) month\\b",
    "(?i)\\bmonthly\\b.*\\bvolume\\b",
    "(?i)\\bvolume\\b.*\\bmonthly\\b",
  ]
  sql            = <<-SQL
    SELECT DATE_FORMAT(`record_date`, '%Y-%m') AS `month`, SUM(`volume`) AS `total_volume`
    FROM `stock_prices`
    WHERE YEAR(`record_date`) = 2024
    GROUP BY DATE_FORMAT(`record_date`, '%Y-%m')
    ORDER BY `month`;
  SQL
  clarified_task = "Compute the total trading volume of all stocks for each month of 2024."
  chart {
    name = "BarChart"
    x    = "month"
    y    = "total_volume"
  }
}

answer "weekday_returns" {
  match = [
    "(?i)\\bday of (the )?week\\b",
    "(?i)\\b(weekdays?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?)\\b.*\\b(returns?|perform|performance|better|worse|best|worst)\\b",
    "(?i)\\b(returns?|perform|performance|better|worse)\\b.*\\b(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?)\\b",
  ]
  sql            = <<-SQL
    WITH `daily` AS (
      SELECT `record_date`, `close`, LAG(`close`) OVER (PARTITION BY `stock_symbol` ORDER BY `record_date`) AS `prev_close`
      FROM `stock_prices`
    )
    SELECT DAYNAME(`record_date`) AS `weekday`, ROUND(AVG(100 * (`close` - `prev_close`) / `prev_close`), 4) AS `avg_return_pct`, COUNT(*) AS `observations`
    FROM `daily`
    WHERE `prev_close` IS NOT NULL
    GROUP BY DAYNAME(`record_date`)
    ORDER BY `avg_return_pct` DESC;
  SQL
  clarified_task = "Compute the average daily return of all stocks for each day of the week."
  assumptions = [
    { concept = "daily return", explanation = "The change of a stock's close from the previous trading day's close, in percent." },
  ]
  chart {
    name = "BarChart"
    x    = "weekday"
    y    = "avg_return_pct"
  }
}

answer "last_day_closing_prices" {
  match = [
    "(?i)\\bclos(e|ing) prices?\\b.*\\b(last|final) trading day\\b",
    "(?i)\\b(last|final) trading day\\b.*\\bclos(e|ing)",
    "(?i)\\b(current|latest) (share |stock )?prices?\\b",
  ]
  sql            = <<-SQL
    SELECT `c`.`company_name`, `p`.`close`
    FROM `stock_prices` AS `p`
    JOIN `companies` AS `c` ON `p`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `p`.`record_date` = (SELECT MAX(`record_date`) FROM `stock_prices`)
    ORDER BY `p`.`close` DESC;
  SQL
  clarified_task = "List the closing price of every stock on the last trading day in the data."
}

answer "peak_close_dates" {
  match = [
    "(?i)\\b(when|which day|what day|what date)\\b.*\\b(each|every)\\b.*\\b(highest|peak|high|top)\\b",
    "(?i)\\b(peak|record high|highest close)\\b.*\\b(each|every|per) (stock|company)\\b",
  ]
  sql            = <<-SQL
    WITH `ranked` AS (
      SELECT `stock_symbol`, `record_date`, `close`, ROW_NUMBER() OVER (PARTITION BY `stock_symbol` ORDER BY `close` DESC, `record_date`) AS `rn`
      FROM `stock_prices`
      WHERE YEAR(`record_date`) = 2024
    )
    SELECT `r`.`stock_symbol`, `c`.`company_name`, `r`.`record_date` AS `peak_date`, `r`.`close` AS `peak_close`
    FROM `ranked` AS `r`
    JOIN `companies` AS `c` ON `r`.`stock_symbol` = `c`.`stock_symbol`
    WHERE `r`.`rn` = 1
    ORDER BY `r`.`record_date` DESC, `r`.`stock_symbol`;
  SQL
  clarified_task = "Find the day on which each stock had its highest closing price of 2024."
}

# ---------------------------------------------------------------------------------------------
# Users and their watchlists
# ---------------------------------------------------------------------------------------------

answer "user_count" {
  match = [
    "(?i)^how many (registered )?users (are there|do we have|exist|are registered|have signed up)( in (total|the database|all))?\\??$",
    "(?i)\\b(total|overall) (number|count) of users\\b",
    "(?i)^count (the |all )?users\\??$",
  ]
  sql            = "SELECT COUNT(`user_id`) AS `total_users` FROM `users`;"
  clarified_task = "Count the total number of users in the database."
  chart {
    name  = "Table"
    title = "Total Number of Users in the Database"
  }
}

answer "users_by_country" {
  match = [
    "(?i)\\busers\\b.*\\b(in each|in every|per|by) country\\b",
    "(?i)\\b(which|what) countr(y|ies)\\b.*\\b(most|users)\\b",
  ]
  sql            = "SELECT `country`, COUNT(`user_id`) AS `user_count` FROM `users` GROUP BY `country` ORDER BY `user_count` DESC;"
  clarified_task = "Count the users in each country."
  chart {
    name = "BarChart"
    x    = "country"
    y    = "user_count"
  }
}

answer "users_by_country_selections" {
  after = ["users_by_country"]
  match = [
    "(?i)\\b(how many|average|avg|mean)\\b.*\\b(stocks|selections|picks|watchlists?)\\b.*\\b(they|them|each|per|on average)\\b",
    "(?i)\\b(average|avg|mean) (number of )?(stocks|selections|picks|watchlist size)\\b",
    "(?i)\\b(average|avg|mean) size of (their|the) watchlists?\\b",
  ]
  sql            = <<-SQL
    WITH `per_user` AS (
      SELECT `u`.`user_id`, `u`.`country`, COUNT(`s`.`stock_symbol`) AS `selection_count`
      FROM `users` AS `u`
      LEFT JOIN `user_stock_selections` AS `s` ON `u`.`user_id` = `s`.`user_id`
      GROUP BY `u`.`user_id`, `u`.`country`
    )
    SELECT `country`, COUNT(`user_id`) AS `user_count`, ROUND(AVG(`selection_count`), 2) AS `avg_selections`
    FROM `per_user`
    GROUP BY `country`
    ORDER BY `user_count` DESC;
  SQL
  clarified_task = "Compute the average number of stocks selected per user in each country."
  assumptions = [
    { concept = "average", explanation = "Users without any selection count as zero." },
  ]
}

answer "most_popular_stocks" {
  match = [
    "(?i)^(what|which) (are|were) the (ten |10 )?most (popular|selected|picked|watched|chosen|followed) (stocks|companies|tickers)( (among|with|by|for) (the |our )?users)?\\??$",
    "(?i)^(show|list)( me)? the (ten |10 )?most (popular|selected|picked|watched) (stocks|companies)\\b",
    "(?i)^(what|which) (is|was) the most (popular|selected|picked|watched) (stock|company)\\??$",
    "(?i)\\b(which|what) (stocks|companies) (do|did) (users|people) (pick|select|choose|watch|follow|like)( the)? most( often| frequently)?\\??$",
  ]
  sql            = <<-SQL
    SELECT `s`.`stock_symbol`, `c`.`company_name`, COUNT(`s`.`user_id`) AS `selection_count`
    FROM `user_stock_selections` AS `s`
    JOIN `companies` AS `c` ON `s`.`stock_symbol` = `c`.`stock_symbol`
    GROUP BY `s`.`stock_symbol`, `c`.`company_name`
    ORDER BY `selection_count` DESC
    LIMIT 10;
  SQL
  clarified_task = "Find the ten stocks that the most users have selected."
  assumptions = [
    { concept = "popular", explanation = "Popularity is the number of users who added the stock to their watchlist." },
  ]
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "selection_count"
  }
}

answer "popular_stocks_sectors" {
  after = ["most_popular_stocks"]
  match = [
    "(?i)\\b(which|what) (sectors?|industr(y|ies))\\b.*\\b(they|those|these|them|each)\\b",
    "(?i)\\b(their|those|these) (companies'? |stocks'? )?sectors?\\b",
  ]
  sql            = <<-SQL
    WITH `top_stocks` AS (
      SELECT `stock_symbol`, COUNT(`user_id`) AS `selection_count`
      FROM `user_stock_selections`
      GROUP BY `stock_symbol`
      ORDER BY `selection_count` DESC
      LIMIT 10
    )
    SELECT `c`.`company_name`, `c`.`sector`, `c`.`industry`, `t`.`selection_count`
    FROM `top_stocks` AS `t`
    JOIN `companies` AS `c` ON `t`.`stock_symbol` = `c`.`stock_symbol`
    ORDER BY `t`.`selection_count` DESC;
  SQL
  clarified_task = "Find the sector and industry of each of the ten stocks that the most users have selected."
}

answer "popular_stocks_performance" {
  after = ["most_popular_stocks", "popular_stocks_sectors"]
  match = [
    "(?i)\\bhow (did|have|has) (they|those|these)( stocks)?\\b.*\\b(perform|performed|done|do)\\b",
    "(?i)\\b(their|those|these)\\b.*\\b(performance|returns?)\\b",
  ]
  sql            = <<-SQL
    WITH `top_stocks` AS (
      SELECT `stock_symbol`, COUNT(`user_id`) AS `selection_count`
      FROM `user_stock_selections`
      GROUP BY `stock_symbol`
      ORDER BY `selection_count` DESC
      LIMIT 10
    ),
    `bounds` AS (
      SELECT `stock_symbol`, MIN(`record_date`) AS `first_day`, MAX(`record_date`) AS `last_day`
      FROM `stock_prices`
      WHERE YEAR(`record_date`) = 2024
      GROUP BY `stock_symbol`
    )
    SELECT `c`.`company_name`, `t`.`selection_count`, ROUND(100 * (`l`.`close` - `f`.`close`) / `f`.`close`, 2) AS `return_pct`
    FROM `top_stocks` AS `t`
    JOIN `bounds` AS `b` ON `b`.`stock_symbol` = `t`.`stock_symbol`
    JOIN `stock_prices` AS `f` ON `f`.`stock_symbol` = `b`.`stock_symbol` AND `f`.`record_date` = `b`.`first_day`
    JOIN `stock_prices` AS `l` ON `l`.`stock_symbol` = `b`.`stock_symbol` AND `l`.`record_date` = `b`.`last_day`
    JOIN `companies` AS `c` ON `c`.`stock_symbol` = `t`.`stock_symbol`
    ORDER BY `t`.`selection_count` DESC;
  SQL
  clarified_task = "Compute the 2024 price return of the ten stocks that the most users have selected."
  chart {
    name = "BarChart"
    x    = "company_name"
    y    = "return_pct"
  }
}

answer "user_signups_by_year" {
  match = [
    "(?i)\\b(signed up|sign[- ]?ups?|registered|registrations?|joined|new users)\\b.*\\b(each|every|per|by) year\\b",
    "(?i)\\b(users?'?) (growth|registrations|sign[- ]?ups)\\b",
  ]
  sql            = "SELECT YEAR(`created_at`) AS `signup_year`, COUNT(`user_id`) AS `new_users` FROM `users` GROUP BY YEAR(`created_at`) ORDER BY `signup_year`;"
  clarified_task = "Count the users who registered in each year."
  chart {
    name = "BarChart"
    x    = "signup_year"
    y    = "new_users"
  }
}

answer "user_signups_by_month" {
  after = ["user_signups_by_year"]
  match = [
    "(?i)^(and |now )?(break (it|this|that) down |show (it|this|that) |split (it|this|that) )?(by|per|each|every) month\\??$",
    "(?i)^(and |now )?(show (it|this|that) )?monthly\\??$",
    "(?i)\\b(it|this|that|them|those|sign[- ]?ups|registrations)\\b.*\\b(by|per|each|every) month\\b",
  ]
  sql            = <<-SQL
    SELECT DATE_FORMAT(`created_at`, '%Y-%m') AS `signup_month`, COUNT(`user_id`) AS `new_users`
    FROM `users`
    GROUP BY DATE_FORMAT(`created_at`, '%Y-%m')
    ORDER BY `signup_month`;
  SQL
  clarified_task = "Count the users who registered in each month."
  chart {
    name = "LineChart"
    x    = "signup_month"
    y    = "new_users"
  }
}

answer "users_without_selections" {
  match = [
    "(?i)\\busers\\b.*(\\b(no|not|never|without|zero)\\b|n't\\b).*\\b(select|selected|selections?|stocks?|watchlists?|picked)\\b",
    "(?i)\\b(an |no )?empty watchlists?\\b",
  ]
  sql            = <<-SQL
    SELECT `u`.`user_id`, `u`.`name`, `u`.`country`
    FROM `users` AS `u`
    LEFT JOIN `user_stock_selections` AS `s` ON `u`.`user_id` = `s`.`user_id`
    WHERE `s`.`user_id` IS NULL
    ORDER BY `u`.`user_id`;
  SQL
  clarified_task = "List the users who have not selected any stock."
}

answer "top_watchlist_users" {
  match = [
    "(?i)\\b(largest|biggest|longest) watchlists?\\b",
    "(?i)\\bmost active users\\b",
    "(?i)\\busers\\b.*\\b(selected|picked|chose|have|has) the most (stocks|selections)\\b",
  ]
  sql            = <<-SQL
    SELECT `u`.`user_id`, `u`.`name`, COUNT(`s`.`stock_symbol`) AS `selection_count`
    FROM `users` AS `u`
    JOIN `user_stock_selections` AS `s` ON `u`.`user_id` = `s`.`user_id`
    GROUP BY `u`.`user_id`, `u`.`name`
    HAVING COUNT(`s`.`stock_symbol`) >= 10
    ORDER BY `selection_count` DESC, `u`.`user_id`
    LIMIT 10;
  SQL
  clarified_task = "Find the ten users with the largest watchlists among those who selected at least ten stocks."
}

answer "popular_notes" {
  match = [
    "(?i)\\bnotes?\\b",
  ]
  sql            = "SELECT `note`, COUNT(`user_id`) AS `note_count` FROM `user_stock_selections` WHERE `note` IS NOT NULL GROUP BY `note` ORDER BY `note_count` DESC;"
  clarified_task = "Count how often users wrote each note on their stock selections."
}

answer "selections_by_month_2024" {
  match = [
    "(?i)\\b(selections?|stocks (were |are )?(added|selected|picked))\\b.*\\b(each|every|per|by) month\\b",
    "(?i)\\bmonthly (selections?|additions)\\b",
  ]
  sql            = <<-SQL
    SELECT DATE_FORMAT(`selected_at`, '%Y-%m') AS `month`, COUNT(`user_id`) AS `selections`
    FROM `user_stock_selections`
    WHERE YEAR(`selected_at`) = 2024
    GROUP BY DATE_FORMAT(`selected_at`, '%Y-%m')
    ORDER BY `month`;
  SQL
  clarified_task = "Count the stocks users added to their watchlists in each month of 2024."
  chart {
    name = "LineChart"
    x    = "month"
    y    = "selections"
  }
}

answer "popular_by_country" {
  match = [
    "(?i)\\bmost (popular|selected|picked) (stock|company)\\b.*\\b(in each|in every|per|by) country\\b",
    "(?i)\\b(each|every) country'?s? (most )?(popular|favou?rite) (stock|company)\\b",
    "(?i)\\b(favou?rite|top) (stock|pick)s?\\b.*\\b(in each|in every|per|by) country\\b",
    "(?i)\\b(favou?rite|most popular) (in|for) (each|every) country\\b",
  ]
  sql            = <<-SQL
    WITH `counts` AS (
      SELECT `u`.`country`, `s`.`stock_symbol`, COUNT(`s`.`user_id`) AS `selection_count`
      FROM `user_stock_selections` AS `s`
      JOIN `users` AS `u` ON `s`.`user_id` = `u`.`user_id`
      GROUP BY `u`.`country`, `s`.`stock_symbol`
    ),
    `ranked` AS (
      SELECT `country`, `stock_symbol`, `selection_count`, RANK() OVER (PARTITION BY `country` ORDER BY `selection_count` DESC) AS `rnk`
      FROM `counts`
    )
    SELECT `country`, `stock_symbol`, `selection_count`
    FROM `ranked`
    WHERE `rnk` = 1
    ORDER BY `selection_count` DESC, `country`, `stock_symbol`;
  SQL
  clarified_task = "Find the most selected stock in each country; ties are all listed."
}
