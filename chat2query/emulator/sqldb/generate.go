package sqldb

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// This file generates the rows of sp500insight. Everything is derived from one fixed PCG seed and
// computed with integer arithmetic only (no floating point, no math.Exp), so the data is
// identical on every machine and architecture. Amounts are kept as integers in their smallest
// unit (cents, basis points, parts per million) and become decimals only at the end.

// Seed of the generator. Changing it changes every generated value.
const seed1, seed2 = 0x5350_3530_3049_4e53, 0x4348_3251_2032_3032

// GICS sectors.
const (
	secIT = "Information Technology"
	secCS = "Communication Services"
	secCD = "Consumer Discretionary"
	secST = "Consumer Staples"
	secHC = "Health Care"
	secFN = "Financials"
	secIN = "Industrials"
	secEN = "Energy"
	secUT = "Utilities"
	secRE = "Real Estate"
	secMT = "Materials"
)

const (
	nyse   = "NYSE"
	nasdaq = "NASDAQ"
	usa    = "United States"
)

// company is one hand-written entry of the company list: identity and classification are real,
// the figures are rounded approximations of the end of 2024 that the generator perturbs.
type company struct {
	symbol, name, exchange, sector, industry string
	city, state, country                     string // state "" = NULL (headquarters outside the US)
	founded, employees                       int64
	capM, revenueM, netIncomeM               int64 // USD millions
	priceCents                               int64 // close on the last trading day of 2024
	dividendBP                               int64 // dividend yield in basis points; 0 = no dividend (NULL)
}

var companyList = []company{
	// Information Technology
	{"AAPL", "Apple Inc.", nasdaq, secIT, "Technology Hardware, Storage & Peripherals", "Cupertino", "CA", usa, 1976, 164000, 3_760_000, 391_035, 93_736, 25042, 40},
	{"MSFT", "Microsoft Corporation", nasdaq, secIT, "Systems Software", "Redmond", "WA", usa, 1975, 228000, 3_130_000, 245_122, 88_136, 42150, 79},
	{"NVDA", "NVIDIA Corporation", nasdaq, secIT, "Semiconductors", "Santa Clara", "CA", usa, 1993, 29600, 3_290_000, 113_269, 63_074, 13429, 3},
	{"AVGO", "Broadcom Inc.", nasdaq, secIT, "Semiconductors", "Palo Alto", "CA", usa, 1961, 37000, 1_090_000, 51_574, 5_895, 23184, 102},
	{"ORCL", "Oracle Corporation", nyse, secIT, "Systems Software", "Austin", "TX", usa, 1977, 162000, 466_000, 54_933, 11_300, 16664, 96},
	{"CRM", "Salesforce, Inc.", nyse, secIT, "Application Software", "San Francisco", "CA", usa, 1999, 72682, 320_000, 37_895, 6_197, 33433, 48},
	{"ADBE", "Adobe Inc.", nasdaq, secIT, "Application Software", "San Jose", "CA", usa, 1982, 30709, 196_000, 21_505, 5_560, 44468, 0},
	{"AMD", "Advanced Micro Devices, Inc.", nasdaq, secIT, "Semiconductors", "Santa Clara", "CA", usa, 1969, 26000, 196_000, 25_785, 1_641, 12079, 0},
	{"CSCO", "Cisco Systems, Inc.", nasdaq, secIT, "Communications Equipment", "San Jose", "CA", usa, 1984, 90400, 236_000, 53_803, 10_320, 5920, 270},
	{"ACN", "Accenture plc", nyse, secIT, "IT Consulting & Other Services", "Dublin", "", "Ireland", 1989, 774000, 220_000, 64_896, 7_264, 35179, 168},
	{"IBM", "International Business Machines Corporation", nyse, secIT, "IT Consulting & Other Services", "Armonk", "NY", usa, 1911, 282200, 203_000, 62_753, 6_023, 21983, 304},
	{"INTC", "Intel Corporation", nasdaq, secIT, "Semiconductors", "Santa Clara", "CA", usa, 1968, 124800, 86_000, 53_101, -18_756, 2005, 0},
	{"QCOM", "QUALCOMM Incorporated", nasdaq, secIT, "Semiconductors", "San Diego", "CA", usa, 1985, 49000, 171_000, 38_962, 10_142, 15362, 221},
	{"TXN", "Texas Instruments Incorporated", nasdaq, secIT, "Semiconductors", "Dallas", "TX", usa, 1930, 34000, 171_000, 15_641, 4_799, 18751, 290},
	{"INTU", "Intuit Inc.", nasdaq, secIT, "Application Software", "Mountain View", "CA", usa, 1983, 18200, 176_000, 16_285, 2_963, 62850, 66},
	{"NOW", "ServiceNow, Inc.", nyse, secIT, "Systems Software", "Santa Clara", "CA", usa, 2004, 22668, 218_000, 10_984, 1_425, 106011, 0},
	{"AMAT", "Applied Materials, Inc.", nasdaq, secIT, "Semiconductor Materials & Equipment", "Santa Clara", "CA", usa, 1967, 35700, 132_000, 27_176, 7_177, 16263, 98},
	{"MU", "Micron Technology, Inc.", nasdaq, secIT, "Semiconductors", "Boise", "ID", usa, 1978, 48000, 94_000, 25_111, 778, 8416, 55},
	{"LRCX", "Lam Research Corporation", nasdaq, secIT, "Semiconductor Materials & Equipment", "Fremont", "CA", usa, 1980, 17450, 93_000, 14_905, 3_828, 7223, 127},
	{"ADI", "Analog Devices, Inc.", nasdaq, secIT, "Semiconductors", "Wilmington", "MA", usa, 1965, 24000, 105_000, 9_427, 1_635, 21246, 173},
	{"PANW", "Palo Alto Networks, Inc.", nasdaq, secIT, "Systems Software", "Santa Clara", "CA", usa, 2005, 15289, 119_000, 8_028, 2_578, 18196, 0},
	{"SNPS", "Synopsys, Inc.", nasdaq, secIT, "Application Software", "Sunnyvale", "CA", usa, 1986, 20300, 75_000, 6_127, 2_263, 48536, 0},
	{"CDNS", "Cadence Design Systems, Inc.", nasdaq, secIT, "Application Software", "San Jose", "CA", usa, 1988, 12700, 82_000, 4_641, 1_056, 30046, 0},
	{"CRWD", "CrowdStrike Holdings, Inc.", nasdaq, secIT, "Systems Software", "Austin", "TX", usa, 2011, 8400, 84_000, 3_953, -19, 34216, 0},
	{"ANET", "Arista Networks, Inc.", nyse, secIT, "Communications Equipment", "Santa Clara", "CA", usa, 2004, 4412, 139_000, 7_003, 2_852, 11053, 0},

	// Communication Services
	{"GOOGL", "Alphabet Inc.", nasdaq, secCS, "Interactive Media & Services", "Mountain View", "CA", usa, 1998, 183323, 2_320_000, 350_018, 100_118, 18930, 42},
	{"META", "Meta Platforms, Inc.", nasdaq, secCS, "Interactive Media & Services", "Menlo Park", "CA", usa, 2004, 74067, 1_480_000, 164_501, 62_360, 58551, 34},
	{"NFLX", "Netflix, Inc.", nasdaq, secCS, "Movies & Entertainment", "Los Gatos", "CA", usa, 1997, 14000, 381_000, 39_001, 8_712, 89133, 0},
	{"DIS", "The Walt Disney Company", nyse, secCS, "Movies & Entertainment", "Burbank", "CA", usa, 1923, 233000, 202_000, 91_361, 4_972, 11135, 81},
	{"CMCSA", "Comcast Corporation", nasdaq, secCS, "Cable & Satellite", "Philadelphia", "PA", usa, 1963, 182000, 144_000, 123_731, 16_192, 3753, 330},
	{"VZ", "Verizon Communications Inc.", nyse, secCS, "Integrated Telecommunication Services", "New York", "NY", usa, 1983, 99600, 168_000, 134_788, 17_506, 3999, 678},
	{"T", "AT&T Inc.", nyse, secCS, "Integrated Telecommunication Services", "Dallas", "TX", usa, 1983, 140990, 163_000, 122_336, 10_948, 2277, 488},
	{"TMUS", "T-Mobile US, Inc.", nasdaq, secCS, "Wireless Telecommunication Services", "Bellevue", "WA", usa, 1994, 70000, 256_000, 81_400, 11_339, 22073, 128},
	{"CHTR", "Charter Communications, Inc.", nasdaq, secCS, "Cable & Satellite", "Stamford", "CT", usa, 1993, 94500, 49_000, 55_085, 5_083, 34277, 0},
	{"EA", "Electronic Arts Inc.", nasdaq, secCS, "Interactive Home Entertainment", "Redwood City", "CA", usa, 1982, 14500, 38_000, 7_562, 1_273, 14630, 52},
	{"WBD", "Warner Bros. Discovery, Inc.", nasdaq, secCS, "Broadcasting", "New York", "NY", usa, 2022, 35000, 26_000, 39_321, -11_311, 1057, 0},

	// Consumer Discretionary
	{"AMZN", "Amazon.com, Inc.", nasdaq, secCD, "Broadline Retail", "Seattle", "WA", usa, 1994, 1556000, 2_310_000, 637_959, 59_248, 21939, 0},
	{"TSLA", "Tesla, Inc.", nasdaq, secCD, "Automobile Manufacturers", "Austin", "TX", usa, 2003, 125665, 1_300_000, 97_690, 7_091, 40384, 0},
	{"HD", "The Home Depot, Inc.", nyse, secCD, "Home Improvement Retail", "Atlanta", "GA", usa, 1978, 470100, 386_000, 159_514, 14_806, 38899, 231},
	{"MCD", "McDonald's Corporation", nyse, secCD, "Restaurants", "Chicago", "IL", usa, 1940, 150000, 208_000, 25_920, 8_223, 28989, 244},
	{"NKE", "NIKE, Inc.", nyse, secCD, "Footwear", "Beaverton", "OR", usa, 1964, 79400, 113_000, 51_362, 5_700, 7567, 211},
	{"LOW", "Lowe's Companies, Inc.", nyse, secCD, "Home Improvement Retail", "Mooresville", "NC", usa, 1946, 215500, 139_000, 83_674, 6_957, 24680, 186},
	{"SBUX", "Starbucks Corporation", nasdaq, secCD, "Restaurants", "Seattle", "WA", usa, 1971, 361000, 104_000, 36_176, 3_761, 9125, 267},
	{"BKNG", "Booking Holdings Inc.", nasdaq, secCD, "Hotels, Resorts & Cruise Lines", "Norwalk", "CT", usa, 1997, 24300, 164_000, 23_739, 5_882, 496842, 70},
	{"TJX", "The TJX Companies, Inc.", nyse, secCD, "Apparel Retail", "Framingham", "MA", usa, 1956, 349000, 136_000, 56_360, 4_864, 12081, 124},
	{"CMG", "Chipotle Mexican Grill, Inc.", nyse, secCD, "Restaurants", "Newport Beach", "CA", usa, 1993, 130504, 82_000, 11_314, 1_534, 6030, 0},
	{"MAR", "Marriott International, Inc.", nasdaq, secCD, "Hotels, Resorts & Cruise Lines", "Bethesda", "MD", usa, 1927, 418000, 77_000, 25_100, 2_375, 27894, 88},
	{"GM", "General Motors Company", nyse, secCD, "Automobile Manufacturers", "Detroit", "MI", usa, 1908, 162000, 53_000, 187_442, 6_008, 5327, 90},
	{"F", "Ford Motor Company", nyse, secCD, "Automobile Manufacturers", "Dearborn", "MI", usa, 1903, 171000, 39_000, 184_992, 5_879, 990, 606},
	{"ORLY", "O'Reilly Automotive, Inc.", nasdaq, secCD, "Automotive Retail", "Springfield", "MO", usa, 1957, 90302, 69_000, 16_708, 2_387, 118580, 0},
	{"ABNB", "Airbnb, Inc.", nasdaq, secCD, "Hotels, Resorts & Cruise Lines", "San Francisco", "CA", usa, 2008, 7300, 83_000, 11_102, 2_648, 13141, 0},
	{"ROST", "Ross Stores, Inc.", nasdaq, secCD, "Apparel Retail", "Dublin", "CA", usa, 1982, 107000, 50_000, 21_129, 2_091, 15127, 97},

	// Consumer Staples
	{"WMT", "Walmart Inc.", nyse, secST, "Consumer Staples Merchandise Retail", "Bentonville", "AR", usa, 1962, 2100000, 726_000, 680_985, 19_436, 9035, 92},
	{"PG", "The Procter & Gamble Company", nyse, secST, "Household Products", "Cincinnati", "OH", usa, 1837, 108000, 393_000, 84_039, 14_879, 16765, 240},
	{"COST", "Costco Wholesale Corporation", nasdaq, secST, "Consumer Staples Merchandise Retail", "Issaquah", "WA", usa, 1983, 333000, 407_000, 254_453, 7_367, 91627, 51},
	{"KO", "The Coca-Cola Company", nyse, secST, "Soft Drinks & Non-alcoholic Beverages", "Atlanta", "GA", usa, 1892, 69700, 268_000, 47_061, 10_631, 6226, 312},
	{"PEP", "PepsiCo, Inc.", nasdaq, secST, "Soft Drinks & Non-alcoholic Beverages", "Purchase", "NY", usa, 1965, 318000, 209_000, 91_854, 9_578, 15206, 356},
	{"PM", "Philip Morris International Inc.", nyse, secST, "Tobacco", "Stamford", "CT", usa, 1987, 82700, 187_000, 37_878, 7_057, 12035, 449},
	{"MO", "Altria Group, Inc.", nyse, secST, "Tobacco", "Richmond", "VA", usa, 1985, 6200, 88_000, 20_444, 11_264, 5229, 780},
	{"MDLZ", "Mondelez International, Inc.", nasdaq, secST, "Packaged Foods & Meats", "Chicago", "IL", usa, 2012, 91000, 80_000, 36_441, 4_611, 5973, 315},
	{"CL", "Colgate-Palmolive Company", nyse, secST, "Household Products", "New York", "NY", usa, 1806, 34000, 74_000, 20_101, 2_889, 9091, 220},
	{"KMB", "Kimberly-Clark Corporation", nyse, secST, "Household Products", "Irving", "TX", usa, 1872, 38000, 44_000, 20_058, 2_545, 13104, 372},
	{"GIS", "General Mills, Inc.", nyse, secST, "Packaged Foods & Meats", "Minneapolis", "MN", usa, 1866, 34000, 35_000, 19_857, 2_497, 6377, 377},
	{"TGT", "Target Corporation", nyse, secST, "Consumer Staples Merchandise Retail", "Minneapolis", "MN", usa, 1902, 440000, 62_000, 106_566, 4_091, 13518, 331},

	// Health Care
	{"LLY", "Eli Lilly and Company", nyse, secHC, "Pharmaceuticals", "Indianapolis", "IN", usa, 1876, 47000, 732_000, 45_043, 10_590, 77200, 67},
	{"UNH", "UnitedHealth Group Incorporated", nyse, secHC, "Managed Health Care", "Minnetonka", "MN", usa, 1977, 400000, 466_000, 400_278, 14_405, 50586, 166},
	{"JNJ", "Johnson & Johnson", nyse, secHC, "Pharmaceuticals", "New Brunswick", "NJ", usa, 1886, 138100, 348_000, 88_821, 14_066, 14462, 343},
	{"ABBV", "AbbVie Inc.", nyse, secHC, "Biotechnology", "North Chicago", "IL", usa, 2013, 50000, 314_000, 56_334, 4_278, 17770, 369},
	{"MRK", "Merck & Co., Inc.", nyse, secHC, "Pharmaceuticals", "Rahway", "NJ", usa, 1891, 75000, 252_000, 64_168, 17_117, 9948, 326},
	{"TMO", "Thermo Fisher Scientific Inc.", nyse, secHC, "Life Sciences Tools & Services", "Waltham", "MA", usa, 1956, 125000, 199_000, 42_879, 6_335, 52023, 30},
	{"ABT", "Abbott Laboratories", nyse, secHC, "Health Care Equipment", "Abbott Park", "IL", usa, 1888, 114000, 196_000, 41_950, 13_402, 11311, 195},
	{"DHR", "Danaher Corporation", nyse, secHC, "Life Sciences Tools & Services", "Washington", "DC", usa, 1969, 63000, 166_000, 23_875, 3_899, 22955, 47},
	{"PFE", "Pfizer Inc.", nyse, secHC, "Pharmaceuticals", "New York", "NY", usa, 1849, 81000, 150_000, 63_627, 8_031, 2653, 648},
	{"AMGN", "Amgen Inc.", nasdaq, secHC, "Biotechnology", "Thousand Oaks", "CA", usa, 1980, 28000, 140_000, 33_424, 4_090, 26064, 345},
	{"ISRG", "Intuitive Surgical, Inc.", nasdaq, secHC, "Health Care Equipment", "Sunnyvale", "CA", usa, 1995, 15638, 186_000, 8_352, 2_323, 52196, 0},
	{"GILD", "Gilead Sciences, Inc.", nasdaq, secHC, "Biotechnology", "Foster City", "CA", usa, 1987, 17600, 115_000, 28_754, 480, 9237, 333},
	{"VRTX", "Vertex Pharmaceuticals Incorporated", nasdaq, secHC, "Biotechnology", "Boston", "MA", usa, 1989, 6100, 104_000, 11_020, -536, 40270, 0},
	{"BMY", "Bristol-Myers Squibb Company", nyse, secHC, "Pharmaceuticals", "Princeton", "NJ", usa, 1887, 34100, 115_000, 48_300, -8_948, 5656, 438},
	{"MDT", "Medtronic plc", nyse, secHC, "Health Care Equipment", "Dublin", "", "Ireland", 1949, 95000, 102_000, 32_364, 3_676, 7988, 350},
	{"CVS", "CVS Health Corporation", nyse, secHC, "Health Care Services", "Woonsocket", "RI", usa, 1963, 300000, 56_000, 372_809, 4_614, 4489, 595},
	{"SYK", "Stryker Corporation", nyse, secHC, "Health Care Equipment", "Kalamazoo", "MI", usa, 1941, 53000, 137_000, 22_595, 2_993, 36005, 93},
	{"MRNA", "Moderna, Inc.", nasdaq, secHC, "Biotechnology", "Cambridge", "MA", usa, 2010, 5800, 16_000, 3_236, -3_561, 4158, 0},

	// Financials
	{"BRK.B", "Berkshire Hathaway Inc.", nyse, secFN, "Multi-Sector Holdings", "Omaha", "NE", usa, 1839, 392400, 977_000, 371_433, 88_995, 45328, 0},
	{"JPM", "JPMorgan Chase & Co.", nyse, secFN, "Diversified Banks", "New York", "NY", usa, 1799, 317233, 675_000, 270_788, 58_471, 23971, 208},
	{"V", "Visa Inc.", nyse, secFN, "Transaction & Payment Processing Services", "San Francisco", "CA", usa, 1958, 31600, 616_000, 35_926, 19_743, 31604, 75},
	{"MA", "Mastercard Incorporated", nyse, secFN, "Transaction & Payment Processing Services", "Purchase", "NY", usa, 1966, 33400, 483_000, 28_167, 12_874, 52657, 50},
	{"BAC", "Bank of America Corporation", nyse, secFN, "Diversified Banks", "Charlotte", "NC", usa, 1904, 213000, 337_000, 101_887, 27_132, 4395, 236},
	{"WFC", "Wells Fargo & Company", nyse, secFN, "Diversified Banks", "San Francisco", "CA", usa, 1852, 217000, 234_000, 82_296, 19_722, 7024, 228},
	{"GS", "The Goldman Sachs Group, Inc.", nyse, secFN, "Investment Banking & Brokerage", "New York", "NY", usa, 1869, 46500, 179_000, 53_512, 14_276, 57263, 210},
	{"MS", "Morgan Stanley", nyse, secFN, "Investment Banking & Brokerage", "New York", "NY", usa, 1935, 80000, 203_000, 61_761, 13_390, 12572, 294},
	{"AXP", "American Express Company", nyse, secFN, "Consumer Finance", "New York", "NY", usa, 1850, 75100, 209_000, 65_949, 10_129, 29679, 94},
	{"C", "Citigroup Inc.", nyse, secFN, "Diversified Banks", "New York", "NY", usa, 1812, 229000, 133_000, 81_139, 12_682, 7039, 318},
	{"SCHW", "The Charles Schwab Corporation", nyse, secFN, "Investment Banking & Brokerage", "Westlake", "TX", usa, 1971, 32100, 132_000, 19_606, 5_942, 7401, 135},
	{"BLK", "BlackRock, Inc.", nyse, secFN, "Asset Management & Custody Banks", "New York", "NY", usa, 1988, 21100, 159_000, 20_407, 6_369, 102511, 199},
	{"SPGI", "S&P Global Inc.", nyse, secFN, "Financial Exchanges & Data", "New York", "NY", usa, 1860, 40450, 154_000, 14_208, 3_852, 49803, 73},
	{"PGR", "The Progressive Corporation", nyse, secFN, "Property & Casualty Insurance", "Mayfield Village", "OH", usa, 1937, 61400, 140_000, 75_372, 8_480, 23961, 19},
	{"CB", "Chubb Limited", nyse, secFN, "Property & Casualty Insurance", "Zurich", "", "Switzerland", 1985, 43000, 111_000, 55_752, 9_272, 27630, 132},
	{"PYPL", "PayPal Holdings, Inc.", nasdaq, secFN, "Transaction & Payment Processing Services", "San Jose", "CA", usa, 1998, 24400, 86_000, 31_797, 4_147, 8535, 0},
	{"AON", "Aon plc", nyse, secFN, "Insurance Brokers", "Dublin", "", "Ireland", 1982, 60000, 78_000, 15_698, 2_654, 35916, 75},
	{"TRV", "The Travelers Companies, Inc.", nyse, secFN, "Property & Casualty Insurance", "New York", "NY", usa, 1853, 33300, 55_000, 46_423, 4_999, 24089, 174},
	{"ICE", "Intercontinental Exchange, Inc.", nyse, secFN, "Financial Exchanges & Data", "Atlanta", "GA", usa, 2000, 12920, 86_000, 9_280, 2_754, 14901, 121},

	// Industrials
	{"GE", "GE Aerospace", nyse, secIN, "Aerospace & Defense", "Evendale", "OH", usa, 1892, 53000, 181_000, 38_702, 6_556, 16679, 67},
	{"CAT", "Caterpillar Inc.", nyse, secIN, "Construction Machinery & Heavy Transportation Equipment", "Irving", "TX", usa, 1925, 112900, 175_000, 64_809, 10_792, 36276, 150},
	{"RTX", "RTX Corporation", nyse, secIN, "Aerospace & Defense", "Arlington", "VA", usa, 1922, 185000, 154_000, 80_738, 4_774, 11572, 218},
	{"HON", "Honeywell International Inc.", nasdaq, secIN, "Industrial Conglomerates", "Charlotte", "NC", usa, 1906, 102000, 147_000, 38_498, 5_705, 22589, 197},
	{"UNP", "Union Pacific Corporation", nyse, secIN, "Rail Transportation", "Omaha", "NE", usa, 1862, 32200, 139_000, 24_250, 6_747, 22804, 233},
	{"BA", "The Boeing Company", nyse, secIN, "Aerospace & Defense", "Arlington", "VA", usa, 1916, 172000, 133_000, 66_517, -11_817, 17700, 0},
	{"UPS", "United Parcel Service, Inc.", nyse, secIN, "Air Freight & Logistics", "Atlanta", "GA", usa, 1907, 490000, 108_000, 91_070, 5_782, 12610, 517},
	{"LMT", "Lockheed Martin Corporation", nyse, secIN, "Aerospace & Defense", "Bethesda", "MD", usa, 1995, 121000, 115_000, 71_043, 5_336, 48594, 266},
	{"DE", "Deere & Company", nyse, secIN, "Agricultural & Farm Machinery", "Moline", "IL", usa, 1837, 75800, 115_000, 51_716, 7_100, 42370, 144},
	{"ETN", "Eaton Corporation plc", nyse, secIN, "Electrical Components & Equipment", "Dublin", "", "Ireland", 1911, 94000, 131_000, 24_878, 3_794, 33187, 113},
	{"ADP", "Automatic Data Processing, Inc.", nasdaq, secIN, "Human Resource & Employment Services", "Roseland", "NJ", usa, 1949, 64000, 119_000, 19_202, 3_752, 29273, 198},
	{"MMM", "3M Company", nyse, secIN, "Industrial Conglomerates", "Saint Paul", "MN", usa, 1902, 61500, 70_000, 24_575, 4_173, 12909, 217},
	{"FDX", "FedEx Corporation", nyse, secIN, "Air Freight & Logistics", "Memphis", "TN", usa, 1971, 500000, 67_000, 87_693, 4_331, 28133, 195},
	{"GD", "General Dynamics Corporation", nyse, secIN, "Aerospace & Defense", "Reston", "VA", usa, 1899, 111600, 72_000, 47_716, 3_782, 26349, 216},
	{"NOC", "Northrop Grumman Corporation", nyse, secIN, "Aerospace & Defense", "Falls Church", "VA", usa, 1994, 101000, 68_000, 41_033, 4_174, 46929, 176},
	{"WM", "Waste Management, Inc.", nyse, secIN, "Environmental & Facilities Services", "Houston", "TX", usa, 1968, 48000, 81_000, 22_063, 2_746, 20179, 149},
	{"DAL", "Delta Air Lines, Inc.", nyse, secIN, "Passenger Airlines", "Atlanta", "GA", usa, 1925, 103000, 39_000, 61_643, 3_457, 6050, 99},
	{"UBER", "Uber Technologies, Inc.", nyse, secIN, "Passenger Ground Transportation", "San Francisco", "CA", usa, 2009, 31100, 127_000, 43_978, 9_856, 6032, 0},

	// Energy
	{"XOM", "Exxon Mobil Corporation", nyse, secEN, "Integrated Oil & Gas", "Spring", "TX", usa, 1870, 61000, 473_000, 339_247, 33_680, 10757, 357},
	{"CVX", "Chevron Corporation", nyse, secEN, "Integrated Oil & Gas", "Houston", "TX", usa, 1879, 45298, 260_000, 193_414, 17_661, 14484, 450},
	{"COP", "ConocoPhillips", nyse, secEN, "Oil & Gas Exploration & Production", "Houston", "TX", usa, 2002, 10300, 128_000, 54_745, 9_245, 9917, 315},
	{"EOG", "EOG Resources, Inc.", nyse, secEN, "Oil & Gas Exploration & Production", "Houston", "TX", usa, 1999, 3150, 69_000, 23_698, 6_403, 12258, 297},
	{"SLB", "SLB", nyse, secEN, "Oil & Gas Equipment & Services", "Houston", "TX", usa, 1926, 110000, 54_000, 36_289, 4_461, 3834, 287},
	{"MPC", "Marathon Petroleum Corporation", nyse, secEN, "Oil & Gas Refining & Marketing", "Findlay", "OH", usa, 2009, 18300, 44_000, 138_864, 3_445, 13950, 247},
	{"PSX", "Phillips 66", nyse, secEN, "Oil & Gas Refining & Marketing", "Houston", "TX", usa, 2012, 13200, 47_000, 145_496, 2_117, 11393, 404},
	{"OXY", "Occidental Petroleum Corporation", nyse, secEN, "Integrated Oil & Gas", "Houston", "TX", usa, 1920, 13323, 46_000, 26_725, 3_058, 4941, 178},
	{"KMI", "Kinder Morgan, Inc.", nyse, secEN, "Oil & Gas Storage & Transportation", "Houston", "TX", usa, 1997, 10933, 61_000, 15_100, 2_613, 2740, 420},

	// Utilities
	{"NEE", "NextEra Energy, Inc.", nyse, secUT, "Electric Utilities", "Juno Beach", "FL", usa, 1984, 16800, 147_000, 24_753, 6_946, 7169, 287},
	{"SO", "The Southern Company", nyse, secUT, "Electric Utilities", "Atlanta", "GA", usa, 1945, 28600, 90_000, 26_724, 4_401, 8232, 350},
	{"DUK", "Duke Energy Corporation", nyse, secUT, "Electric Utilities", "Charlotte", "NC", usa, 1904, 27037, 83_000, 30_357, 4_402, 10774, 388},
	{"CEG", "Constellation Energy Corporation", nasdaq, secUT, "Electric Utilities", "Baltimore", "MD", usa, 1999, 14000, 70_000, 23_568, 3_749, 22371, 63},
	{"AEP", "American Electric Power Company, Inc.", nasdaq, secUT, "Electric Utilities", "Columbus", "OH", usa, 1906, 16330, 49_000, 19_721, 2_967, 9223, 387},
	{"D", "Dominion Energy, Inc.", nyse, secUT, "Multi-Utilities", "Richmond", "VA", usa, 1983, 14700, 45_000, 14_459, 2_124, 5386, 496},
	{"SRE", "Sempra", nyse, secUT, "Multi-Utilities", "San Diego", "CA", usa, 1998, 16773, 56_000, 13_185, 2_817, 8772, 283},

	// Real Estate
	{"PLD", "Prologis, Inc.", nyse, secRE, "Industrial REITs", "San Francisco", "CA", usa, 1983, 2703, 98_000, 8_203, 3_733, 10570, 363},
	{"AMT", "American Tower Corporation", nyse, secRE, "Telecom Tower REITs", "Boston", "MA", usa, 1995, 4700, 86_000, 10_127, 2_255, 18341, 353},
	{"EQIX", "Equinix, Inc.", nasdaq, secRE, "Data Center REITs", "Redwood City", "CA", usa, 1998, 13606, 91_000, 8_748, 815, 94289, 181},
	{"WELL", "Welltower Inc.", nyse, secRE, "Health Care REITs", "Toledo", "OH", usa, 1970, 533, 79_000, 7_991, 952, 12603, 212},
	{"SPG", "Simon Property Group, Inc.", nyse, secRE, "Retail REITs", "Indianapolis", "IN", usa, 1993, 3300, 56_000, 5_964, 2_368, 17221, 478},
	{"O", "Realty Income Corporation", nyse, secRE, "Retail REITs", "San Diego", "CA", usa, 1969, 468, 47_000, 5_271, 861, 5341, 593},
	{"PSA", "Public Storage", nyse, secRE, "Self-Storage REITs", "Glendale", "CA", usa, 1972, 6100, 53_000, 4_701, 2_076, 29944, 401},
	{"DLR", "Digital Realty Trust, Inc.", nyse, secRE, "Data Center REITs", "Austin", "TX", usa, 2004, 3936, 59_000, 5_554, 606, 17733, 275},

	// Materials
	{"LIN", "Linde plc", nasdaq, secMT, "Industrial Gases", "Woking", "", "United Kingdom", 1879, 65289, 199_000, 33_005, 6_565, 41867, 133},
	{"SHW", "The Sherwin-Williams Company", nyse, secMT, "Specialty Chemicals", "Cleveland", "OH", usa, 1866, 63890, 86_000, 23_099, 2_682, 33993, 84},
	{"APD", "Air Products and Chemicals, Inc.", nyse, secMT, "Industrial Gases", "Allentown", "PA", usa, 1940, 21900, 64_000, 12_101, 3_828, 29004, 244},
	{"ECL", "Ecolab Inc.", nyse, secMT, "Specialty Chemicals", "Saint Paul", "MN", usa, 1923, 48000, 66_000, 15_741, 2_111, 23432, 97},
	{"FCX", "Freeport-McMoRan Inc.", nyse, secMT, "Copper", "Phoenix", "AZ", usa, 1987, 28500, 55_000, 25_455, 1_889, 3808, 158},
	{"NEM", "Newmont Corporation", nyse, secMT, "Gold", "Denver", "CO", usa, 1921, 22200, 43_000, 18_682, 3_348, 3722, 269},
	{"NUE", "Nucor Corporation", nyse, secMT, "Steel", "Charlotte", "NC", usa, 1940, 32700, 27_000, 30_734, 2_027, 11671, 185},
}

// sectorReturnPct is the price trend of a sector over 2024 in percent; returnPct overrides it
// for companies whose 2024 was notably different.
var sectorReturnPct = map[string]int64{
	secIT: 25, secCS: 30, secCD: 22, secST: 12, secHC: 0, secFN: 28,
	secIN: 15, secEN: 3, secUT: 18, secRE: 2, secMT: -2,
}

var returnPct = map[string]int64{
	"NVDA": 171, "AVGO": 107, "TSLA": 63, "INTC": -60, "MRNA": -58, "META": 66, "NFLX": 83,
	"AMZN": 44, "GOOGL": 36, "AAPL": 30, "MSFT": 12, "AMD": -18, "ORCL": 58, "WMT": 72,
	"COST": 39, "LLY": 32, "UNH": -5, "PFE": -8, "BA": -32, "NKE": -30, "CEG": 91, "GE": 70,
	"AXP": 58, "GS": 48, "JPM": 41, "ADBE": -25, "CVS": -43, "WBD": -7, "ANET": 88, "PANW": 23,
}

// sectorVolBP is the typical daily volatility of a sector in basis points; volBP overrides it.
var sectorVolBP = map[string]int64{
	secIT: 190, secCS: 170, secCD: 170, secST: 95, secHC: 130, secFN: 135,
	secIN: 130, secEN: 150, secUT: 115, secRE: 140, secMT: 145,
}

var volBP = map[string]int64{
	"TSLA": 390, "NVDA": 320, "MRNA": 340, "AMD": 300, "CRWD": 290, "INTC": 300, "MU": 290,
	"PANW": 240, "ANET": 260, "AVGO": 270, "WBD": 280, "CEG": 280, "ABNB": 250, "UBER": 240,
}

// popularity weights the stocks users pick for their watchlists, so that "most popular stocks"
// has a clear answer. Companies not listed weigh 3 (market cap above $500B) or 1.
var popularity = map[string]int{
	"NVDA": 120, "AAPL": 90, "TSLA": 72, "MSFT": 58, "AMZN": 48, "META": 40, "GOOGL": 34,
	"AMD": 28, "NFLX": 24, "AVGO": 20, "JPM": 16, "COST": 14, "KO": 12, "DIS": 12, "BRK.B": 11,
	"INTC": 10, "V": 9, "LLY": 9, "UBER": 8, "CRWD": 8, "PLD": 2,
}

// dowAdded holds the real dates on which the 30 members of the Dow Jones Industrial Average at
// the end of 2024 joined it.
var dowAdded = map[string]string{
	"AAPL": "2015-03-19", "AMGN": "2020-08-31", "AMZN": "2024-02-26", "AXP": "1982-08-30",
	"BA": "1987-03-12", "CAT": "1991-05-06", "CRM": "2020-08-31", "CSCO": "1999-11-01",
	"CVX": "2008-02-19", "DIS": "1991-05-06", "GS": "2013-09-20", "HD": "1999-11-01",
	"HON": "2020-08-31", "IBM": "1979-06-29", "JNJ": "1997-03-17", "JPM": "1991-05-06",
	"KO": "1987-03-12", "MCD": "1985-10-30", "MMM": "1976-08-09", "MRK": "1979-06-29",
	"MSFT": "1999-11-01", "NKE": "2013-09-20", "NVDA": "2024-11-08", "PG": "1932-05-26",
	"SHW": "2024-11-08", "TRV": "2009-06-08", "UNH": "2012-09-24", "V": "2013-09-20",
	"VZ": "2004-04-08", "WMT": "1997-03-17",
}

var (
	firstNames = []string{
		"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
		"Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
		"Sarah", "Daniel", "Karen", "Wei", "Li", "Hiroshi", "Yuki", "Arjun", "Priya", "Rahul",
		"Ananya", "Lukas", "Hannah", "Felix", "Emma", "Oliver", "Amelia", "Noah", "Olivia",
		"Lucas", "Sofia", "Mateo", "Valentina", "Chloe", "Ethan", "Mia", "Liam", "Ava", "Aiden",
		"Zoe", "Mohammed", "Fatima", "Omar", "Layla", "Jin", "Min-jun", "Seo-yeon", "Pierre",
		"Camille", "Giulia", "Marco", "Ingrid", "Lars",
	}
	lastNames = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
		"Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor", "Thomas",
		"Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
		"Walker", "Young", "King", "Wright", "Scott", "Chen", "Wang", "Zhang", "Liu", "Tanaka",
		"Suzuki", "Sato", "Patel", "Sharma", "Singh", "Kumar", "Müller", "Schmidt", "Schneider",
		"Fischer", "Dubois", "Moreau", "Rossi", "Bianchi", "Silva", "Santos", "Oliveira", "Kim",
		"Park", "Nguyen", "Tran", "Cohen", "Ali", "Hansen", "Johansson",
	}
	userCountries = []struct {
		name   string
		weight int
	}{
		{usa, 40}, {"Canada", 7}, {"United Kingdom", 8}, {"Germany", 6}, {"India", 8},
		{"China", 6}, {"Japan", 5}, {"Singapore", 4}, {"Australia", 5}, {"France", 4},
		{"Brazil", 3}, {"South Korea", 4},
	}
	emailDomains = []string{"example.com", "example.net", "example.org", "mail.example.com"}
	notes        = []string{
		"Long-term hold", "Watch the next earnings call", "Dividend income", "AI play",
		"Buy the dip", "Speculative position", "Core holding", "Research for a school project",
		"Recommended by a friend", "Compare with sector peers", "Waiting for a better entry price",
		"Trim if it rallies",
	}
)

// Time range of the data.
var (
	firstTradingDay = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	lastTradingDay  = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
)

const (
	numUsers = 400
	ppm      = 1_000_000
)

// dataset holds the generated rows of every table as plain Go values (string, int64,
// decimal.Decimal, time.Time, nil for NULL) in the column order of schema.sql, each table
// sorted by its primary key.
type dataset map[string][][]any

// generate builds the sp500insight data.
func generate() dataset {
	g := &generator{rng: rand.New(rand.NewPCG(seed1, seed2))}
	companies := slices.Clone(companyList)
	slices.SortFunc(companies, func(a, b company) int { return strings.Compare(a.symbol, b.symbol) })

	days := tradingDays()
	ds := dataset{}
	for _, c := range companies {
		ds["stock_prices"] = append(ds["stock_prices"], g.prices(c, days)...)
	}
	for _, c := range companies {
		ds["companies"] = append(ds["companies"], g.companyRow(c))
	}
	ds["index_compositions"] = g.compositions(companies)
	users := g.users()
	ds["users"] = users
	ds["user_stock_selections"] = g.selections(users, companies)
	return ds
}

type generator struct{ rng *rand.Rand }

// between returns a uniform integer in [lo, hi].
func (g *generator) between(lo, hi int64) int64 { return lo + g.rng.Int64N(hi-lo+1) }

// normal returns an approximately standard-normal value scaled by ppm (Irwin–Hall: the sum of
// twelve uniforms minus six), using integers only.
func (g *generator) normal() int64 {
	var s int64
	for range 12 {
		s += g.rng.Int64N(ppm)
	}
	return s - 6*ppm
}

// jitter returns v changed by a uniform relative amount in [-pct%, +pct%].
func (g *generator) jitter(v, pct int64) int64 {
	return v * (ppm + g.between(-pct*10_000, pct*10_000)) / ppm
}

func tradingDays() []time.Time {
	var days []time.Time
	for d := firstTradingDay; !d.After(lastTradingDay); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			days = append(days, d)
		}
	}
	return days
}

func cents(v int64) decimal.Decimal { return decimal.New(v, -2) }

// dollarsM converts millions of dollars to a decimal of dollars with cents, as DECIMAL(20,2)
// stores it.
func dollarsM(m int64) decimal.Decimal { return cents(m * 100_000_000) }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// companyRow perturbs the hand-written figures a little: the data is generated, not quoted.
func (g *generator) companyRow(c company) []any {
	var dividend any
	if c.dividendBP > 0 {
		dividend = cents(c.dividendBP)
	}
	return []any{
		c.symbol, c.name, c.exchange, c.sector, c.industry, c.city, nullable(c.state), c.country,
		c.founded, g.jitter(c.employees, 3), cents(c.priceCents),
		cents(g.jitter(c.capM*1000, 4) * 100_000), // rounded to thousands of dollars
		dollarsM(g.jitter(c.revenueM, 2)), dollarsM(g.jitter(c.netIncomeM, 2)), dividend,
	}
}

// prices makes the daily rows of one company: a multiplicative random walk around a linear
// trend (the sector's or the company's 2024 performance), scaled so that the last close is the
// company's current price. Open, high, low and volume are derived from the close.
func (g *generator) prices(c company, days []time.Time) [][]any {
	n := int64(len(days))
	ret, ok := returnPct[c.symbol]
	if !ok {
		ret = sectorReturnPct[c.sector] + g.between(-12, 12)
	}
	vol, ok := volBP[c.symbol]
	if !ok {
		vol = g.jitter(sectorVolBP[c.sector], 20)
	}
	volPPM := vol * 100

	// Noise path (units of 1e-9), mean-reverting towards 1 so that the trend dominates.
	noise := make([]int64, n)
	dailyRet := make([]int64, n)
	level := int64(1_000_000_000)
	for i := range noise {
		r := volPPM * g.normal() / ppm
		r -= (level - 1_000_000_000) / 40_000 // pull back ~2.5% of the deviation per day
		dailyRet[i] = r
		level = level * (ppm + r) / ppm
		noise[i] = level
	}
	// Trend from (100+ret)% of the start price to the end, in ppm of the end level.
	startTrend := int64(100) * ppm / (100 + ret)
	closes := make([]int64, n)
	for i := range closes {
		trend := startTrend + (ppm-startTrend)*int64(i)/(n-1)
		closes[i] = c.priceCents * noise[i] / noise[n-1] * trend / ppm
		if closes[i] < 1 {
			closes[i] = 1
		}
	}
	closes[n-1] = c.priceCents

	shares := c.capM * ppm * 100 / c.priceCents
	turnoverBP := g.between(30, 80)
	switch c.symbol { // the most traded stocks
	case "TSLA":
		turnoverBP *= 3
	case "AMD", "INTC":
		turnoverBP *= 2
	}
	rows := make([][]any, n)
	prev := closes[0]
	for i, day := range days {
		cl := closes[i]
		open := prev * (ppm + volPPM*g.normal()/ppm/3) / ppm
		if i == 0 {
			open = cl * (ppm + volPPM*g.normal()/ppm/2) / ppm
		}
		hi, lo := max(open, cl), min(open, cl)
		hi = hi * (ppm + abs(volPPM*g.normal()/ppm)/2) / ppm
		lo = lo * (ppm - abs(volPPM*g.normal()/ppm)/2) / ppm
		lo = max(lo, 1)
		adj := cl
		if c.dividendBP > 0 { // dividends paid later in the year lower the adjusted close
			adj = cl * (10_000*(n-1) - c.dividendBP*(n-1-int64(i))) / (10_000 * (n - 1))
		}
		volume := shares * turnoverBP / 10_000 * g.between(70, 130) / 100
		volume = volume * (ppm + 25*abs(dailyRet[i])) / ppm
		rows[i] = []any{day, c.symbol, cents(open), cents(hi), cents(lo), cents(cl), cents(adj), volume}
		prev = cl
	}
	return rows
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// compositions weights SPX (all companies) and NDX (NASDAQ-listed, outside Financials and Real
// Estate) by market capitalization and DJI (dowAdded) by share price.
func (g *generator) compositions(companies []company) [][]any {
	var rows [][]any
	add := func(index string, members []company, weightOf func(company) int64, added func(company) time.Time) {
		var total int64
		for _, c := range members {
			total += weightOf(c)
		}
		for _, c := range members {
			w := weightOf(c) * 1_000_000 / total // percent with 4 decimals
			rows = append(rows, []any{index, c.symbol, decimal.New(w, -4), added(c)})
		}
	}
	randomDate := func(fromYear, toYear int64) time.Time {
		year := g.between(fromYear, toYear)
		return time.Date(int(year), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(g.between(0, 364)))
	}
	var dji, ndx []company
	for _, c := range companies {
		if _, ok := dowAdded[c.symbol]; ok {
			dji = append(dji, c)
		}
		if c.exchange == nasdaq && c.sector != secFN && c.sector != secRE {
			ndx = append(ndx, c)
		}
	}
	add("DJI", dji, func(c company) int64 { return c.priceCents }, func(c company) time.Time {
		d, _ := time.Parse(time.DateOnly, dowAdded[c.symbol])
		return d
	})
	add("NDX", ndx, func(c company) int64 { return c.capM }, func(c company) time.Time {
		return randomDate(max(1985, min(c.founded+8, 2023)), 2023)
	})
	add("SPX", companies, func(c company) int64 { return c.capM }, func(c company) time.Time {
		return randomDate(max(1957, min(c.founded+10, 2024)), 2024)
	})
	return rows
}

func (g *generator) users() [][]any {
	total := 0
	for _, c := range userCountries {
		total += c.weight
	}
	seen := map[string]bool{}
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	span := int64(time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC).Sub(start) / time.Second)
	rows := make([][]any, numUsers)
	for i := range rows {
		first := firstNames[g.rng.IntN(len(firstNames))]
		last := lastNames[g.rng.IntN(len(lastNames))]
		local := strings.ToLower(strings.ReplaceAll(first, "-", "") + "." + strings.ReplaceAll(last, "ü", "ue"))
		domain := emailDomains[g.rng.IntN(len(emailDomains))]
		email := local + "@" + domain
		if seen[email] {
			email = fmt.Sprintf("%s%d@%s", local, i+1, domain)
		}
		seen[email] = true
		pick := g.rng.IntN(total)
		country := ""
		for _, c := range userCountries {
			if pick < c.weight {
				country = c.name
				break
			}
			pick -= c.weight
		}
		created := start.Add(time.Duration(g.between(0, span-1)) * time.Second)
		rows[i] = []any{int64(i + 1), first + " " + last, email, country, created}
	}
	return rows
}

// selections gives most users a watchlist of stocks drawn without replacement by popularity.
func (g *generator) selections(users [][]any, companies []company) [][]any {
	weights := make([]int, len(companies))
	for i, c := range companies {
		w, ok := popularity[c.symbol]
		switch {
		case ok:
		case c.capM > 500_000:
			w = 3
		default:
			w = 1
		}
		weights[i] = w
	}
	end := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var rows [][]any
	for _, u := range users {
		if g.rng.IntN(100) < 6 { // some users never pick a stock
			continue
		}
		k := 1 + g.rng.IntN(6) + g.rng.IntN(6)
		if g.rng.IntN(4) == 0 {
			k += g.rng.IntN(12)
		}
		w := slices.Clone(weights)
		var picked []int
		for range k {
			total := 0
			for _, x := range w {
				total += x
			}
			p := g.rng.IntN(total)
			for j, x := range w {
				if p < x {
					picked = append(picked, j)
					w[j] = 0
					break
				}
				p -= x
			}
		}
		slices.SortFunc(picked, func(a, b int) int { return strings.Compare(companies[a].symbol, companies[b].symbol) })
		created := u[4].(time.Time)
		from := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
		if created.After(from) {
			from = created
		}
		span := int64(end.Sub(from) / time.Second)
		for _, j := range picked {
			var note any
			if g.rng.IntN(100) < 45 {
				note = notes[g.rng.IntN(len(notes))]
			}
			at := from.Add(time.Duration(g.between(0, span-1)) * time.Second)
			rows = append(rows, []any{u[0], companies[j].symbol, at, note})
		}
	}
	return rows
}
