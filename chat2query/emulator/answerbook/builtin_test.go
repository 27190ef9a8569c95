package answerbook

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator/sqldb"
)

// examples are questions, each with the label of the previous answer of the session ("" for the
// first question), and the answer the built-in book must give. Every entry has examples; each
// example must be unambiguous (see TestBuiltinExamples).
var examples = []struct{ question, previous, want string }{
	{"Which five companies have the largest market cap?", "", "top_market_cap"},
	{"Show the top 5 companies by market cap", "", "top_market_cap"},
	{"What are the 5 biggest companies by market capitalization?", "", "top_market_cap"},
	{"which are the largest companies by market cap? give me five", "", "top_market_cap"},

	{"What are the five most valuable companies?", "", "top_market_cap"},
	{"List the top five companies by market value", "", "top_market_cap"},

	{"How many companies are there?", "", "company_count"},
	{"How many companies are in the S&P 500?", "", "company_count"},
	{"What is the total number of companies?", "", "company_count"},

	{"Which company has the largest market cap?", "", "largest_company"},
	{"What is the most valuable company?", "", "largest_company"},

	{"Where is it headquartered?", "largest_company", "largest_company_hq"},
	{"Where is its headquarters?", "largest_company", "largest_company_hq"},

	{"What is the total market cap of the S&P 500?", "", "total_market_cap"},
	{"What is the combined market capitalization?", "", "total_market_cap"},

	{"Which companies are in the tech sector?", "", "tech_companies"},
	{"List the technology companies", "", "tech_companies"},

	{"Which of them make semiconductors?", "tech_companies", "tech_companies_semiconductors"},
	{"Only the chipmakers", "tech_companies", "tech_companies_semiconductors"},

	{"Which sectors are they in?", "top_market_cap", "top_market_cap_sectors"},
	{"What sector does each of them belong to?", "top_market_cap", "top_market_cap_sectors"},
	{"Show their sectors", "top_market_cap", "top_market_cap_sectors"},
	{"What industries are they in?", "top_market_cap", "top_market_cap_sectors"},

	{"And the smallest?", "top_market_cap", "top_market_cap_smallest"},
	{"And the smallest?", "top_market_cap_sectors", "top_market_cap_smallest"},
	{"What about the lowest ones?", "top_market_cap", "top_market_cap_smallest"},
	{"Show the smallest five", "top_market_cap", "top_market_cap_smallest"},

	{"Which five companies have the smallest market cap?", "", "bottom_market_cap"},
	{"Which companies have the lowest market capitalization?", "", "bottom_market_cap"},
	{"Which five companies have the smallest market cap?", "top_market_cap", "bottom_market_cap"},

	{"How many companies are there in each sector?", "", "company_count_by_sector"},
	{"Show the number of companies per sector", "", "company_count_by_sector"},
	{"companies by sector", "", "company_count_by_sector"},
	{"Which sector has the most companies?", "", "company_count_by_sector"},
	{"How are companies distributed across sectors?", "", "company_count_by_sector"},

	{"What about market cap?", "company_count_by_sector", "sector_market_cap_share"},
	{"And by market cap?", "company_count_by_sector", "sector_market_cap_share"},
	{"What share of the total market cap does each sector have?", "company_count_by_sector", "sector_market_cap_share"},

	{"What is the total market cap of each sector?", "", "sector_market_cap"},
	{"Show the market capitalization of each sector", "", "sector_market_cap"},
	{"Which sector has the largest combined market cap?", "", "sector_market_cap"},
	{"What percentage of the market cap does each sector represent?", "", "sector_market_cap"},

	{"What is the largest company in each sector?", "", "largest_company_per_sector"},
	{"Show the biggest company per sector by market cap", "", "largest_company_per_sector"},
	{"Each sector's largest company", "", "largest_company_per_sector"},

	{"Which states have the most company headquarters?", "", "hq_by_state"},
	{"How many companies are headquartered in each state?", "", "hq_by_state"},
	{"Show headquarters by state", "", "hq_by_state"},

	{"Which companies are headquartered in the top state?", "hq_by_state", "hq_state_companies"},
	{"List the companies in that state", "hq_by_state", "hq_state_companies"},
	{"Which companies are there?", "hq_by_state", "hq_state_companies"},

	{"Which companies are headquartered outside the United States?", "", "foreign_hq"},
	{"List the non-US companies", "", "foreign_hq"},
	{"Which companies have foreign headquarters?", "", "foreign_hq"},

	{"What are the oldest companies?", "", "oldest_companies"},
	{"Which companies were founded earliest?", "", "oldest_companies"},
	{"Show the 10 oldest companies in the S&P 500", "", "oldest_companies"},

	{"Which companies have the most employees?", "", "most_employees"},
	{"Who employs the most people?", "", "most_employees"},
	{"What are the biggest employers?", "", "most_employees"},
	{"Which companies have the biggest workforce?", "", "most_employees"},

	{"What is their revenue per employee?", "most_employees", "revenue_per_employee"},
	{"And revenue per employee?", "most_employees", "revenue_per_employee"},
	{"How much revenue per employee do they make?", "most_employees", "revenue_per_employee"},

	{"Which companies have the highest revenue per employee?", "", "top_revenue_per_employee"},
	{"Top 10 companies by revenue per employee", "", "top_revenue_per_employee"},
	{"Which companies have the highest revenue per employee?", "most_employees", "top_revenue_per_employee"},

	{"Which companies lost money?", "", "net_loss_companies"},
	{"Which companies had a net loss?", "", "net_loss_companies"},
	{"Show the unprofitable companies", "", "net_loss_companies"},

	{"Which companies have the highest profit margin?", "", "profit_margin_top"},
	{"Top 10 companies by net margin", "", "profit_margin_top"},
	{"What are the most profitable companies?", "", "profit_margin_top"},

	{"Which sector has the highest profit margin?", "", "profit_margin_by_sector"},
	{"What is the average profit margin by sector?", "", "profit_margin_by_sector"},
	{"Which sector is the most profitable?", "", "profit_margin_by_sector"},

	{"Which stocks have the highest dividend yield?", "", "highest_dividend_yield"},
	{"Show the top 10 dividend stocks", "", "highest_dividend_yield"},
	{"Who are the best dividend payers?", "", "highest_dividend_yield"},
	{"Which stocks pay the highest dividends?", "", "highest_dividend_yield"},

	{"What is the average dividend yield by sector?", "", "dividend_by_sector"},
	{"Which sector pays the highest dividends?", "", "dividend_by_sector"},
	{"Which sector has the highest dividend yield?", "", "dividend_by_sector"},

	{"Which companies don't pay a dividend?", "", "no_dividend_companies"},
	{"List companies with no dividend", "", "no_dividend_companies"},
	{"Which stocks pay no dividends?", "", "no_dividend_companies"},

	{"How many companies are listed on NYSE vs NASDAQ?", "", "exchange_breakdown"},
	{"How many stocks are listed on the NASDAQ?", "", "exchange_breakdown"},
	{"How many companies trade on each exchange?", "", "exchange_breakdown"},
	{"Break down the companies by exchange", "", "exchange_breakdown"},

	{"Which sector has the highest total revenue?", "", "sector_revenue"},
	{"What is the total revenue by sector?", "", "sector_revenue"},

	{"Which companies are in the Dow Jones?", "", "dow_members"},
	{"List the Dow Jones Industrial Average constituents", "", "dow_members"},
	{"What stocks are part of the DJIA?", "", "dow_members"},
	{"Show me the components of the Dow", "", "dow_members"},
	{"What are the Dow 30 stocks?", "", "dow_members"},
	{"Which Dow stocks have the highest weight?", "", "dow_members"},

	{"When were they added to the index?", "dow_members", "dow_members_added"},
	{"Which of them joined most recently?", "dow_members", "dow_members_added"},

	{"Which companies were added to the Dow in 2024?", "", "dow_recent_additions"},
	{"What are the newest members of the Dow?", "", "dow_recent_additions"},
	{"Which companies were added to the Dow in 2024?", "dow_members", "dow_recent_additions"},

	{"How many companies are in each index?", "", "index_member_counts"},
	{"What is the number of constituents in each index?", "", "index_member_counts"},

	{"What are the top 10 holdings of the Nasdaq-100?", "", "nasdaq100_top_weights"},
	{"Which stocks have the largest weight in the NDX?", "", "nasdaq100_top_weights"},
	{"Show the Nasdaq 100 weights", "", "nasdaq100_top_weights"},
	{"What are the largest companies in the Nasdaq-100?", "", "nasdaq100_top_weights"},

	{"Which companies are in all three indexes?", "", "in_all_indexes"},
	{"Which stocks belong to every index?", "", "in_all_indexes"},
	{"Which companies are members of all 3 indices?", "", "in_all_indexes"},

	{"What is the sector weighting of the S&P 500?", "", "sp500_sector_weights"},
	{"Show the S&P 500 sector breakdown", "", "sp500_sector_weights"},
	{"How is the SPX weighted by sector?", "", "sp500_sector_weights"},

	{"And for the Nasdaq-100?", "sp500_sector_weights", "sector_weights_ndx"},
	{"What about the NDX?", "sp500_sector_weights", "sector_weights_ndx"},
	{"Show the same for the Nasdaq 100", "sector_weights_dji", "sector_weights_ndx"},

	{"And for the Dow?", "sp500_sector_weights", "sector_weights_dji"},
	{"How about the DJIA?", "sector_weights_ndx", "sector_weights_dji"},

	{"Which stocks performed best in 2024?", "", "best_performers_2024"},
	{"Show the top performing stocks of the year", "", "best_performers_2024"},
	{"Which stocks had the biggest gains in 2024?", "", "best_performers_2024"},
	{"Which stock went up the most in 2024?", "", "best_performers_2024"},

	{"And the worst?", "best_performers_2024", "best_performers_worst"},
	{"What about the worst performers?", "best_performers_2024", "best_performers_worst"},
	{"How about the biggest losers?", "best_performers_2024", "best_performers_worst"},

	{"Which stocks performed worst in 2024?", "", "worst_performers_2024"},
	{"Show the worst performing stocks", "", "worst_performers_2024"},
	{"Which stocks fell the most this year?", "", "worst_performers_2024"},
	{"What about the worst performers?", "", "worst_performers_2024"},

	{"How did each sector perform in 2024?", "", "sector_performance_2024"},
	{"Which sector performed best this year?", "", "sector_performance_2024"},
	{"What was the average return by sector?", "", "sector_performance_2024"},
	{"Which sector did best in 2024?", "", "sector_performance_2024"},

	{"Show Apple's monthly average closing price in 2024", "", "aapl_monthly_close"},
	{"What was AAPL's average close each month?", "", "aapl_monthly_close"},

	{"Compare it with Microsoft", "aapl_monthly_close", "monthly_close_compare_msft"},
	{"Add MSFT to the chart", "aapl_monthly_close", "monthly_close_compare_msft"},
	{"What about Microsoft?", "aapl_monthly_close", "monthly_close_compare_msft"},

	{"How did NVIDIA's stock price change over 2024?", "", "nvda_price_trend"},
	{"Plot NVDA's closing price for 2024", "", "nvda_price_trend"},
	{"Show me Nvidia's daily closing price", "", "nvda_price_trend"},

	{"Add a 20-day moving average", "nvda_price_trend", "nvda_moving_average"},
	{"Show the rolling average too", "nvda_price_trend", "nvda_moving_average"},

	{"What were its biggest daily moves?", "nvda_price_trend", "nvda_biggest_daily_moves"},
	{"Which days had the largest price swings?", "nvda_moving_average", "nvda_biggest_daily_moves"},

	{"Which days had the highest trading volume?", "", "highest_volume_days"},
	{"Show the busiest trading days", "", "highest_volume_days"},
	{"On which days was the volume highest?", "", "highest_volume_days"},

	{"Which stocks are the most traded?", "", "most_traded_stocks"},
	{"Which stocks have the highest average daily volume?", "", "most_traded_stocks"},
	{"Show the average daily volume of each stock", "", "most_traded_stocks"},
	{"Which stocks had the highest trading volume?", "", "most_traded_stocks"},

	{"Which stocks were the most volatile in 2024?", "", "volatility_top"},
	{"Which stocks had the highest volatility?", "", "volatility_top"},
	{"How volatile were stocks in 2024?", "", "volatility_top"},

	{"What was Tesla's average closing price each quarter?", "", "tsla_quarterly_close"},
	{"Show TSLA's quarterly average close", "", "tsla_quarterly_close"},

	{"Show the same for Apple", "tsla_quarterly_close", "quarterly_close_aapl"},
	{"What about Apple?", "tsla_quarterly_close", "quarterly_close_aapl"},
	{"And AAPL?", "tsla_quarterly_close", "quarterly_close_aapl"},

	{"How many days did Apple close higher than it opened?", "", "aapl_up_days"},
	{"Count Apple's up days and down days in 2024", "", "aapl_up_days"},

	{"What was the total trading volume each month?", "", "monthly_market_volume"},
	{"Show the monthly trading volume for 2024", "", "monthly_market_volume"},

	{"Which day of the week has the best average return?", "", "weekday_returns"},
	{"Do stocks perform better on Mondays or Fridays?", "", "weekday_returns"},

	{"What were the closing prices on the last trading day of 2024?", "", "last_day_closing_prices"},
	{"Show the latest stock prices", "", "last_day_closing_prices"},

	{"On which day did each stock reach its highest close in 2024?", "", "peak_close_dates"},
	{"When did every company hit its 2024 peak?", "", "peak_close_dates"},

	{"How many users are there?", "", "user_count"},
	{"What is the total number of users?", "", "user_count"},
	{"How many users do we have?", "", "user_count"},

	{"How many users are there in each country?", "", "users_by_country"},
	{"Which country has the most users?", "", "users_by_country"},
	{"Show users by country", "", "users_by_country"},

	{"How many stocks have they selected on average?", "users_by_country", "users_by_country_selections"},
	{"What is the average watchlist size?", "users_by_country", "users_by_country_selections"},

	{"What are the most popular stocks among users?", "", "most_popular_stocks"},
	{"Which stocks do users pick most often?", "", "most_popular_stocks"},
	{"What is the most popular stock?", "", "most_popular_stocks"},

	{"Which sectors are they in?", "most_popular_stocks", "popular_stocks_sectors"},
	{"What sectors do these stocks belong to?", "most_popular_stocks", "popular_stocks_sectors"},
	{"Which industries are they in?", "most_popular_stocks", "popular_stocks_sectors"},

	{"How did they perform in 2024?", "most_popular_stocks", "popular_stocks_performance"},
	{"What were their returns this year?", "popular_stocks_sectors", "popular_stocks_performance"},

	{"How many users signed up each year?", "", "user_signups_by_year"},
	{"Show user registrations by year", "", "user_signups_by_year"},
	{"What does user growth look like?", "", "user_signups_by_year"},

	{"Break it down by month", "user_signups_by_year", "user_signups_by_month"},
	{"Show it monthly", "user_signups_by_year", "user_signups_by_month"},
	{"And per month?", "user_signups_by_year", "user_signups_by_month"},

	// General questions asked in the context of a follow-up that does not apply to them.
	{"What was the total trading volume each month?", "user_signups_by_year", "monthly_market_volume"},
	{"How many stocks are listed on the NASDAQ?", "users_by_country", "exchange_breakdown"},
	{"What are the oldest companies?", "top_market_cap", "oldest_companies"},
	{"What is the total market cap of each sector?", "company_count_by_sector", "sector_market_cap"},
	{"Which stocks performed worst in 2024?", "best_performers_2024", "worst_performers_2024"},
	{"How many users are there?", "users_by_country", "user_count"},

	{"Which users haven't selected any stocks?", "", "users_without_selections"},
	{"List users without any selections", "", "users_without_selections"},
	{"Who has an empty watchlist?", "", "users_without_selections"},

	{"Which users have the largest watchlists?", "", "top_watchlist_users"},
	{"Which users selected the most stocks?", "", "top_watchlist_users"},
	{"Who are the most active users?", "", "top_watchlist_users"},

	{"What notes do users write most often?", "", "popular_notes"},
	{"Show the most common selection notes", "", "popular_notes"},

	{"How many stocks were added to watchlists each month in 2024?", "", "selections_by_month_2024"},
	{"Show monthly selections in 2024", "", "selections_by_month_2024"},

	{"What is the most popular stock in each country?", "", "popular_by_country"},
	{"Show each country's favorite stock", "", "popular_by_country"},
	{"What are the top picks by country?", "", "popular_by_country"},
	{"What is each country's most popular stock?", "", "popular_by_country"},
	{"Which stock is the favorite in each country?", "", "popular_by_country"},
}

func TestBuiltinShape(t *testing.T) {
	b := Builtin()
	entries := b.Entries()
	followUps := 0
	for _, e := range entries {
		if e.IsFollowUp() {
			followUps++
		}
	}
	if len(entries) < 40 || followUps < 8 {
		t.Errorf("built-in book has %d entries, %d follow-ups; want at least 40 and 8", len(entries), followUps)
	}
	sqlText := ""
	for _, e := range entries {
		sqlText += strings.ToUpper(e.SQL) + "\n"
		if !strings.Contains(e.SQL, "`") {
			t.Errorf("%s: SQL does not quote identifiers with backticks", e.Label)
		}
	}
	for _, feature := range []string{" JOIN ", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "WITH ", " OVER (", "DATE_FORMAT(", "YEAR(", "QUARTER(", "LAG(", "ROW_NUMBER()", "RANK()", "LEFT JOIN"} {
		if !strings.Contains(sqlText, feature) {
			t.Errorf("no built-in SQL uses %s", strings.TrimSpace(feature))
		}
	}
}

func TestBuiltinExamples(t *testing.T) {
	b := Builtin()
	covered := map[string]bool{}
	for _, ex := range examples {
		covered[ex.want] = true
		if _, ok := b.Lookup(ex.want); !ok {
			t.Errorf("example %q wants unknown label %s", ex.question, ex.want)
			continue
		}
		got, ok := b.Match(ex.question, ex.previous)
		if !ok || got.Label != ex.want {
			label := "nothing"
			if ok {
				label = got.Label
			}
			t.Errorf("Match(%q, %q) = %s, want %s", ex.question, ex.previous, label, ex.want)
			continue
		}
		// No other entry of the winning kind may match: the answer must not depend on file order.
		for _, c := range b.Candidates(ex.question, ex.previous)[1:] {
			if c.IsFollowUp() == got.IsFollowUp() {
				t.Errorf("Match(%q, %q) is ambiguous: %s and %s both match", ex.question, ex.previous, got.Label, c.Label)
			}
		}
	}
	for _, e := range b.Entries() {
		if !covered[e.Label] {
			t.Errorf("entry %s has no example question", e.Label)
		}
	}
}

// TestBuiltinFollowUpsNeedContext asks every follow-up example first in a session and after an
// unrelated answer: the follow-up entry must not answer.
func TestBuiltinFollowUpsNeedContext(t *testing.T) {
	b := Builtin()
	for _, ex := range examples {
		want, _ := b.Lookup(ex.want)
		if want == nil || !want.IsFollowUp() {
			continue
		}
		for _, previous := range []string{"", "user_count", "nonexistent"} {
			if slices.Contains(want.After, previous) {
				continue
			}
			if got, ok := b.Match(ex.question, previous); ok && got == want {
				t.Errorf("Match(%q, %q) = %s, which follows up only %v", ex.question, previous, got.Label, want.After)
			}
		}
	}
}

var (
	dbOnce sync.Once
	db     *sqldb.DB
	dbErr  error
)

func openDB(t *testing.T) *sqldb.DB {
	t.Helper()
	dbOnce.Do(func() { db, dbErr = sqldb.Open(context.Background()) })
	if dbErr != nil {
		t.Fatal(dbErr)
	}
	return db
}

// TestBuiltinSQL executes every entry's SQL against the emulated database: it must succeed and
// return rows, and the chart must name columns of the result.
func TestBuiltinSQL(t *testing.T) {
	d := openDB(t)
	for _, e := range Builtin().Entries() {
		t.Run(e.Label, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			start := time.Now()
			res, err := d.Query(ctx, sqldb.DatabaseName, e.SQL)
			if err != nil {
				t.Fatalf("%v\n%s", err, e.SQL)
			}
			if len(res.Rows) == 0 {
				t.Fatalf("no rows\n%s", e.SQL)
			}
			if res.Truncated {
				t.Errorf("more than %d rows", sqldb.MaxRows)
			}
			chart := e.ChartFor(res.Columns)
			for _, v := range chart.Option {
				cols, ok := v.([]string)
				if !ok {
					cols = []string{v.(string)}
				}
				for _, col := range cols {
					if !slices.Contains(res.Columns, col) {
						t.Errorf("chart %s names column %q, not in the result %v", chart.Name, col, res.Columns)
					}
				}
			}
			t.Logf("%d rows in %v; first row: %s", len(res.Rows), time.Since(start).Round(time.Millisecond), formatRow(res.Columns, res.Rows[0]))
		})
	}
}

func formatRow(columns []string, row []any) string {
	parts := make([]string, len(row))
	for i, v := range row {
		parts[i] = fmt.Sprintf("%s=%v", columns[i], v)
	}
	return strings.Join(parts, ", ")
}
