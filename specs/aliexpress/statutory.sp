# Statutory rights the Buyer Protection Program page mentions: the EU's 2-year
# conformity warranty and 14-day right to return, Brazil's 30/90-day warranty
# and 7-day right of regret.
#
# Source: "Statutory rights" / "For certain countries" in
# aliexpress-buyer-protection-program.txt. The page hedges every figure
# ("in most EU countries you will generally have"); the spec encodes the
# figures as stated. Reading (F21): the periods run from the day the goods are
# received (the page does not say from when); "2-year" is 730 days.

module statutory
import types

record ConsumerPurchase {
  country: Country
  item: Item
  received_on: Date
  durable: Bool  # Brazil: durable vs non-durable goods
}

# "in most EU countries you will generally have a 2-year legal conformity
#  warranty and a 14-day right to return (Please note that in case of return,
#  the buyer must bear the cost of returning the products to the seller)."
const eu_conformity_warranty: Days = 730 days
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")

const eu_return_days: Days = 14 days
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")

rule eu_conformity_claim_in_time(p: ConsumerPurchase, today: Date)
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")
  when in_eu(p.country)
    and today >= p.received_on
    and today <= p.received_on + eu_conformity_warranty

rule eu_right_to_return(p: ConsumerPurchase, today: Date)
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")
  when in_eu(p.country) and today >= p.received_on and today <= p.received_on + eu_return_days

rule eu_buyer_bears_return_cost(p: ConsumerPurchase)
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")
  when in_eu(p.country)

# "In Brazil, you will generally have a 30-day (non-durable goods) or 90-day
#  (durable goods) legal conformity warranty."
const brazil_non_durable_warranty: Days = 30 days
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")

const brazil_durable_warranty: Days = 90 days
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")

def brazil_warranty_period(p: ConsumerPurchase) -> Days
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")
  = if p.durable then brazil_durable_warranty else brazil_non_durable_warranty

rule brazil_conformity_claim_in_time(p: ConsumerPurchase, today: Date)
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")
  when p.country == Country.brazil
    and today >= p.received_on
    and today <= p.received_on + brazil_warranty_period(p)

# "Additionally, you will have a 7-day right of regret as outlined in the
#  Brazilian consumer legislation.(Please note that special items such as
#  prohibited items on AliExpress, underwear, socks, food, batteries, customized
#  items are not applicable to the return policy.)"
# Reading (F22): the exclusion applies to the right of regret (a return), not
# to the conformity warranty.
const brazil_regret_days: Days = 7 days
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")

rule brazil_right_of_regret(p: ConsumerPurchase, today: Date)
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")
  when p.country == Country.brazil
    and today >= p.received_on
    and today <= p.received_on + brazil_regret_days
  unless p.item.category in [
    Category.prohibited,
    Category.underwear,
    Category.socks,
    Category.perishable_food,
    Category.other_food,
    Category.batteries,
    Category.personalised,
  ]
    @cite("aliexpress-buyer-protection-program.txt", "For certain countries")

# "After opening a dispute, you are generally entitled to 14-day product return
#  period if the dispute fails. In this case, please be aware, you may need to
#  cover the returning shipping fees." Reading (F23): 14 days from the day the
#  dispute fails.
const return_after_failed_dispute_days: Days = 14 days
  @cite("aliexpress-buyer-help-center.txt", "About Coronavirus")

rule can_return_after_failed_dispute(failed_on: Date, today: Date)
  @cite("aliexpress-buyer-help-center.txt", "About Coronavirus")
  when today >= failed_on and today <= failed_on + return_after_failed_dispute_days

# ============================================================ tests

# Received 2020-05-10 in France.
test "EU: 14-day return, 2-year conformity, buyer pays the return"
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries") {
  given p = ConsumerPurchase {
    country: Country.france,
    item: Item { price: US$30, category: Category.general, free_return_label: false },
    received_on: 2020-05-10,
    durable: true,
  }
  expect eu_right_to_return(p, 2020-05-24)
  expect not eu_right_to_return(p, 2020-05-25)
  expect eu_conformity_claim_in_time(p, 2022-05-10)
  expect not eu_conformity_claim_in_time(p, 2022-05-11)
  expect eu_buyer_bears_return_cost(p)
}

test "no EU rights outside the EU"
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries") {
  given p = ConsumerPurchase {
    country: Country.united_kingdom,
    item: Item { price: US$30, category: Category.general, free_return_label: false },
    received_on: 2020-05-10,
    durable: true,
  }
  expect not eu_right_to_return(p, 2020-05-12)
}

# "a 30-day (non-durable goods) or 90-day (durable goods) legal conformity warranty"
test "Brazil: 30 or 90 days of warranty"
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries") {
  given cheap = ConsumerPurchase {
    country: Country.brazil,
    item: Item { price: US$5, category: Category.general, free_return_label: false },
    received_on: 2020-05-10,
    durable: false,
  }
  given lasting = ConsumerPurchase {
    country: Country.brazil,
    item: Item { price: US$50, category: Category.general, free_return_label: false },
    received_on: 2020-05-10,
    durable: true,
  }
  expect brazil_conformity_claim_in_time(cheap, 2020-06-09)
  expect not brazil_conformity_claim_in_time(cheap, 2020-06-10)
  expect brazil_conformity_claim_in_time(lasting, 2020-08-08)
  expect not brazil_conformity_claim_in_time(lasting, 2020-08-09)
}

# "a 7-day right of regret ... special items such as ... underwear, socks,
#  food, batteries, customized items are not applicable to the return policy."
test "Brazil: 7-day regret, not for socks or batteries"
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries") {
  given shirt = ConsumerPurchase {
    country: Country.brazil,
    item: Item { price: US$15, category: Category.general, free_return_label: false },
    received_on: 2020-05-10,
    durable: false,
  }
  given socks = ConsumerPurchase {
    country: Country.brazil,
    item: Item { price: US$5, category: Category.socks, free_return_label: false },
    received_on: 2020-05-10,
    durable: false,
  }
  given battery = ConsumerPurchase {
    country: Country.brazil,
    item: Item { price: US$5, category: Category.batteries, free_return_label: false },
    received_on: 2020-05-10,
    durable: true,
  }
  expect brazil_right_of_regret(shirt, 2020-05-17)
  expect not brazil_right_of_regret(shirt, 2020-05-18)
  expect not brazil_right_of_regret(socks, 2020-05-12)
  expect not brazil_right_of_regret(battery, 2020-05-12)
  # the warranty still applies to excluded goods (F22)
  expect brazil_conformity_claim_in_time(battery, 2020-05-12)
}

test "14-day return period after a failed dispute"
  @cite("aliexpress-buyer-help-center.txt", "About Coronavirus") {
  expect can_return_after_failed_dispute(2020-06-01, 2020-06-15)
  expect not can_return_after_failed_dispute(2020-06-01, 2020-06-16)
}
