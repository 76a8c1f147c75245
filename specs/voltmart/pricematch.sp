# P1: price match within 14 days of purchase.

module pricematch
import types

const price_match_days: Days = 14 days @cite("voltmart-terms.txt", "P1 Price match")

enum Competitor @cite("voltmart-terms.txt", "P1.1 Qualifying competitors") {
  big_box,
  online_retailer,
  marketplace_seller @cite("voltmart-terms.txt", "P1.2 Marketplaces excluded"),
}

record PriceMatchClaim {
  purchase: Purchase
  claimed_on: Date
  competitor: Competitor?  # none: Voltmart's own later price drop
  competitor_price: Money
  in_stock: Bool  # the competitor has the item in stock
  invariant competitor_price_not_negative: competitor_price >= US$0
  invariant claimed_after_purchase: claimed_on >= purchase.purchased_at
}

window price_match_window(c: PriceMatchClaim)
  from c.purchase.purchased_at to c.purchase.purchased_at + price_match_days

rule price_match_eligible(c: PriceMatchClaim)
  @cite("voltmart-terms.txt", "P1 Price match")
  when c.claimed_on in price_match_window(c) and c.competitor_price < c.purchase.paid
  unless c.purchase.category == Category.final_sale
    @cite("voltmart-terms.txt", "P1.3 Not on final sale")
  unless c.competitor is some(k) and k == Competitor.marketplace_seller
    @cite("voltmart-terms.txt", "P1.2 Marketplaces excluded")
  unless c.competitor is some(k) and not c.in_stock @cite("voltmart-terms.txt", "P1.4 In stock")

def price_match_credit(c: PriceMatchClaim) -> Money
  @cite("voltmart-terms.txt", "P1 Price match")
  when price_match_eligible(c) => c.purchase.paid - c.competitor_price
  otherwise => US$0

test "price match on day 14, not on day 15" @cite("voltmart-terms.txt", "P1 Price match") {
  given p = Purchase {
    sku: "TV",
    category: Category.general,
    purchased_at: 2024-05-01,
    price: US$500,
    paid: US$500,
    payment: Payment.card,
  }
  given c = PriceMatchClaim {
    purchase: p,
    claimed_on: 2024-05-15,
    competitor: Competitor.big_box,
    competitor_price: US$449.99,
    in_stock: true,
  }
  expect price_match_eligible(c)
  expect price_match_credit(c) == US$50.01
  expect not price_match_eligible(PriceMatchClaim {
    purchase: p,
    claimed_on: 2024-05-16,
    competitor: Competitor.big_box,
    competitor_price: US$449.99,
    in_stock: true,
  })
}

test "marketplace sellers and out-of-stock offers do not count"
  @cite("voltmart-terms.txt", "P1.2 Marketplaces excluded") {
  given p = Purchase {
    sku: "TV",
    category: Category.general,
    purchased_at: 2024-05-01,
    price: US$500,
    paid: US$500,
    payment: Payment.card,
  }
  expect not price_match_eligible(PriceMatchClaim {
    purchase: p,
    claimed_on: 2024-05-02,
    competitor: Competitor.marketplace_seller,
    competitor_price: US$400,
    in_stock: true,
  })
  expect not price_match_eligible(PriceMatchClaim {
    purchase: p,
    claimed_on: 2024-05-02,
    competitor: Competitor.online_retailer,
    competitor_price: US$400,
    in_stock: false,
  })
  # Voltmart's own price drop: no competitor, stock irrelevant
  expect price_match_credit(PriceMatchClaim {
    purchase: p,
    claimed_on: 2024-05-02,
    competitor_price: US$480,
    in_stock: false,
  })
    == US$20
}
