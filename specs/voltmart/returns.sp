# R1-R3: returns, the restocking fee and the refund.

module returns
import types

const return_days: Days = 30 days @cite("voltmart-terms.txt", "R1.1 Thirty days")

const opened_software_days: Days = 14 days @cite("voltmart-terms.txt", "R1.2 Opened software")

const restocking_rate: Percent = 15% @cite("voltmart-terms.txt", "R2 Restocking")

const restocking_threshold: Money = US$100 @cite("voltmart-terms.txt", "R2 Restocking")

# How long the buyer has; none for final-sale items.
def return_period(r: ReturnRequest) -> Days?
  @cite("voltmart-terms.txt", "R1 Returns")
  = match r.purchase.category {
      Category.final_sale => none,
      Category.software => if r.opened then some(opened_software_days) else some(return_days),
      Category.general => some(return_days),
    }

def return_closes(r: ReturnRequest) -> Date?
  @cite("voltmart-terms.txt", "R1 Returns")
  when return_period(r) is some(p) => some(r.purchase.purchased_at + p)
  otherwise => none

rule can_return(r: ReturnRequest)
  @cite("voltmart-terms.txt", "R1 Returns")
  when return_closes(r) is some(c) and r.requested_on <= c
    @cite("voltmart-terms.txt", "R1.1 Thirty days")
  unless r.purchase.category == Category.final_sale @cite("voltmart-terms.txt", "R1.3 Final sale")

# "A restocking fee of 15% of the price paid, rounded to the nearest cent,
#  applies to opened items above US$100."
rule restocking_applies(r: ReturnRequest)
  @cite("voltmart-terms.txt", "R2 Restocking")
  when r.opened and r.purchase.paid > restocking_threshold

def restocking_fee(r: ReturnRequest) -> Money
  @cite("voltmart-terms.txt", "R2 Restocking")
  = if restocking_applies(r) then round_half_up(r.purchase.paid * restocking_rate) else US$0

# "Refunds go to the original payment method, less any restocking fee."
def refund(r: ReturnRequest) -> Money
  @cite("voltmart-terms.txt", "R3 Refund method")
  when can_return(r) => r.purchase.paid - restocking_fee(r)
  otherwise => US$0

def refund_method(r: ReturnRequest) -> Payment
  @cite("voltmart-terms.txt", "R3 Refund method")
  = r.purchase.payment

test "unopened laptop returned on day 30: full refund"
  @cite("voltmart-terms.txt", "R1.1 Thirty days") {
  given p = Purchase {
    sku: "LAP-1",
    category: Category.general,
    purchased_at: 2024-03-01,
    price: US$899.99,
    paid: US$899.99,
    payment: Payment.card,
  }
  given r = ReturnRequest { purchase: p, requested_on: 2024-03-31, opened: false }
  expect can_return(r)
  expect restocking_fee(r) == US$0
  expect refund(r) == US$899.99
  expect refund_method(r) == Payment.card
  expect not can_return(ReturnRequest { purchase: p, requested_on: 2024-04-01, opened: false })
}

# 15% of 899.99 = 134.9985 -> 135.00; refund 764.99
test "opened laptop: 15% restocking fee rounded to the cent"
  @cite("voltmart-terms.txt", "R2 Restocking") {
  given p = Purchase {
    sku: "LAP-1",
    category: Category.general,
    purchased_at: 2024-03-01,
    price: US$899.99,
    paid: US$899.99,
    payment: Payment.paypal,
  }
  given r = ReturnRequest { purchase: p, requested_on: 2024-03-10, opened: true }
  expect restocking_fee(r) == US$135
  expect refund(r) == US$764.99
}

# 15% of 100.10 = 15.015 -> 15.02 (half up); exactly 100.00 is not "above"
test "restocking threshold and half-up rounding" @cite("voltmart-terms.txt", "R2 Restocking") {
  given p = Purchase {
    sku: "HDD",
    category: Category.general,
    purchased_at: 2024-03-01,
    price: US$100.10,
    paid: US$100.10,
    payment: Payment.card,
  }
  expect restocking_fee(ReturnRequest { purchase: p, requested_on: 2024-03-02, opened: true })
    == US$15.02
  given q = Purchase {
    sku: "HDD",
    category: Category.general,
    purchased_at: 2024-03-01,
    price: US$100,
    paid: US$100,
    payment: Payment.card,
  }
  expect restocking_fee(ReturnRequest { purchase: q, requested_on: 2024-03-02, opened: true })
    == US$0
}

test "opened software: 14 days" @cite("voltmart-terms.txt", "R1.2 Opened software") {
  given p = Purchase {
    sku: "OS",
    category: Category.software,
    purchased_at: 2024-03-01,
    price: US$49.99,
    paid: US$49.99,
    payment: Payment.card,
  }
  expect can_return(ReturnRequest { purchase: p, requested_on: 2024-03-15, opened: true })
  expect not can_return(ReturnRequest { purchase: p, requested_on: 2024-03-16, opened: true })
  expect can_return(ReturnRequest { purchase: p, requested_on: 2024-03-16, opened: false })
}

test "final sale: no returns" @cite("voltmart-terms.txt", "R1.3 Final sale") {
  given p = Purchase {
    sku: "CLR",
    category: Category.final_sale,
    purchased_at: 2024-03-01,
    price: US$20,
    paid: US$20,
    payment: Payment.gift_card,
  }
  given r = ReturnRequest { purchase: p, requested_on: 2024-03-01, opened: false }
  expect not can_return(r)
  expect refund(r) == US$0
  expect return_closes(r) == none
}

# The days on which a purchase can be returned (for `ask --free today`).
rule return_allowed_on(p: Purchase, opened: Bool, today: Date)
  @cite("voltmart-terms.txt", "R1 Returns")
  when today >= p.purchased_at
    and can_return(ReturnRequest { purchase: p, requested_on: today, opened: opened })
