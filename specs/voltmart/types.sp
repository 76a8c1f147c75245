# Voltmart (a fictional electronics shop): shared enums and records.
#
# Source: "voltmart-terms.txt", a made-up store policy. Clause names cited
# below ("R1 Returns", "R2 Restocking", ...) are its headings.

module types

enum Category @cite("voltmart-terms.txt", "R1 Returns") {
  general,
  software @cite("voltmart-terms.txt", "R1.2 Opened software"),
  final_sale @cite("voltmart-terms.txt", "R1.3 Final sale"),
}

enum Payment @cite("voltmart-terms.txt", "R3 Refund method") {
  card,
  paypal,
  gift_card,
}

enum Tier @cite("voltmart-terms.txt", "L1 Loyalty tiers") {
  basic,
  silver,
  gold,
}

record Purchase {
  sku: Text
  category: Category
  purchased_at: Date
  price: Money  # list price of the item
  paid: Money  # what the buyer actually paid for it (after codes)
  payment: Payment
  invariant price_not_negative: price >= US$0
  invariant paid_within_price: paid >= US$0 and paid <= price
}

record ReturnRequest {
  purchase: Purchase
  requested_on: Date
  opened: Bool  # the packaging seal was broken
  invariant after_purchase: requested_on >= purchase.purchased_at
}
