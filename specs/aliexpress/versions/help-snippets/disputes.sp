# The dispute window as the help snippets state it
# (aliexpress-help-snippets.txt): "on the 11th day after seller has sent out
# your order and within 15 days of the order's completion".

module disputes
import types

# "Please note that you can open a dispute on the 11th day after seller has
#  sent out your order" -- the shipment day is day 1 (F1).
const dispute_opens_after_shipment: Days = 10 days
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over")

# "and within 15 days of the order's completion" -- the order completes when
# receipt is confirmed, by the buyer or automatically (F28). The snippet gives
# no end for an order that is never completed.
const protection_days: Days = 15 days
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over")

def dispute_opens(o: Order) -> Date?
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over")
  = if o.shipped_at is some(s) then some(s + dispute_opens_after_shipment) else none

def dispute_closes(o: Order) -> Date?
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over")
  = if o.receipt_confirmed_at is some(c) then some(c + protection_days) else none

window dispute_window(o: Order)
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over")
  from dispute_opens(o) to dispute_closes(o)

rule can_open_dispute(o: Order, today: Date)
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over")
  when today in dispute_window(o)

# "If the seller agrees with your request or if he/she doesn't reply within 5
#  days, you will automatically get your refund. This can take between 3 to 15
#  working days."
const refund_business_days_max: Int = 15
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over")

# EXPECTED TO FAIL (F28): a shipped order whose receipt is never confirmed has
# no end to its window in this text, hence no day at all.
property shipped_order_has_dispute_day
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over"):
  forall o: Order where o.shipped_at is some(s) and o.delivered_at is none.
    exists d: Date. can_open_dispute(o, d)

test "11th day after shipment, 15 days after completion"
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over") {
  given o = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.dhl,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-18,
    receipt_confirmed_at: 2020-05-20,
  }
  expect not can_open_dispute(o, 2020-05-11)
  expect can_open_dispute(o, 2020-05-12)
  expect can_open_dispute(o, 2020-06-04)
  expect not can_open_dispute(o, 2020-06-05)
}

test "finding: an order never completed has no window"
  @cite("aliexpress-help-snippets.txt", "The Buyer Protection period may be over") {
  given o = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.dhl,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
  }
  expect not can_open_dispute(o, 2020-05-30)
}
