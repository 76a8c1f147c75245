# The dispute window as the help centre states it ("When can I open dispute?",
# dated by its own example "2020-05-24 PST"). Readings as in ../../disputes.sp
# (docs/findings.md F1-F3). Only the general window is versioned: the
# normal-tracking wait for not-received disputes is in the main suite.

module disputes
import types

# "Generally the option to open a dispute will become available on the 11th day
#  after seller has sent out the goods" -- the shipment day is day 1.
const dispute_opens_after_shipment: Days = 10 days
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")

# "until to the 15th day after delivery time is over or you confirmed the receipt"
const protection_days: Days = 15 days
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")

def dispute_opens(o: Order) -> Date?
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")
  = if o.shipped_at is some(s) then some(s + dispute_opens_after_shipment) else none

def dispute_closes(o: Order) -> Date?
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")
  when o.receipt_confirmed_at is some(c) => some(c + protection_days)
  when o.delivery_deadline is some(d) => some(d + protection_days)
  otherwise => none

window dispute_window(o: Order)
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")
  from dispute_opens(o) to dispute_closes(o)

rule can_open_dispute(o: Order, today: Date)
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")
  when today in dispute_window(o)

# "you will get your refund in 3-20 working days"
const refund_business_days_max: Int = 20
  @cite("aliexpress-buyer-help-center.txt", "What's the dispute process after I have opened a dispute?")

property shipped_order_has_dispute_day
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?"):
  forall o: Order where o.shipped_at is some(s) and o.delivered_at is none.
    exists d: Date. can_open_dispute(o, d)

# Shipped 2020-05-02 by DHL, delivery deadline 2020-05-24.
test "opens on the 11th day after shipment, closes 15 days after the deadline"
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?") {
  given o = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.dhl,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
  }
  expect not can_open_dispute(o, 2020-05-11)
  expect can_open_dispute(o, 2020-05-12)
  expect can_open_dispute(o, 2020-06-08)
  expect not can_open_dispute(o, 2020-06-09)
}

test "confirmed receipt: 15 days after the confirmation"
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?") {
  given o = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.cainiao,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-18,
    receipt_confirmed_at: 2020-05-20,
  }
  expect can_open_dispute(o, 2020-06-04)
  expect not can_open_dispute(o, 2020-06-05)
}

test "not shipped: no window"
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?") {
  given o = Order { paid_at: 2020-05-01, carrier: Carrier.dhl, ship_by: 2020-05-04 }
  expect not can_open_dispute(o, 2020-05-20)
}
