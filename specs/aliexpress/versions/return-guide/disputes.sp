# The dispute window as the third-party return-policy guide states it
# (aliexpress-return-policy-guide.txt, "What is AliExpress's return policy?"):
# opens six days after shipment, closes 23 / 27 / 39 days after shipment
# depending on the carrier.

module disputes
import types

# "The timeline for opening a dispute with a seller on AliExpress begins six
#  days after the seller has shipped (or should have shipped) your order or item."
const dispute_opens_after_shipment: Days = 6 days
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?")

# Reading (F27): the days count from the shipment, or from the last day of the
# shipping time when the seller has not shipped; "after shipment" in the
# carrier deadlines is read the same way.
def dispute_reference_day(o: Order) -> Date
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?")
  = o.shipped_at ?? o.ship_by

# "DHL, TNT, UPS or FedEx – 23 days after shipment / Japan Post EMS or SF
#  Express – 27 days after shipment / China Post or Hong Kong Post – 39 days
#  after shipment". No other shipping option has a deadline in this text.
def dispute_deadline_days(c: Carrier) -> Days?
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?")
  = match c {
      Carrier.dhl | Carrier.tnt | Carrier.ups | Carrier.fedex => some(23 days),
      Carrier.ems | Carrier.sf_express => some(27 days),
      Carrier.china_post | Carrier.hongkong_post => some(39 days),
      _ => none,
    }

def dispute_opens(o: Order) -> Date?
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?")
  = some(dispute_reference_day(o) + dispute_opens_after_shipment)

def dispute_closes(o: Order) -> Date?
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?")
  = if dispute_deadline_days(o.carrier) is some(n) then some(dispute_reference_day(o) + n) else none

window dispute_window(o: Order)
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?")
  from dispute_opens(o) to dispute_closes(o)

rule can_open_dispute(o: Order, today: Date)
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?")
  when today in dispute_window(o)

# EXPECTED TO FAIL (F27): a parcel sent by any other shipping option (Cainiao,
# AliExpress Standard Shipping, ...) has no deadline in this text.
property shipped_order_has_dispute_day
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?"):
  forall o: Order where o.shipped_at is some(s) and o.delivered_at is none.
    exists d: Date. can_open_dispute(o, d)

# Shipped 2020-05-02.
test "six days after shipment until the carrier's deadline"
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?") {
  given dhl = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.dhl,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
  }
  given ems = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.ems,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
  }
  given post = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.china_post,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
  }
  expect not can_open_dispute(dhl, 2020-05-07)
  expect can_open_dispute(dhl, 2020-05-08)
  expect can_open_dispute(dhl, 2020-05-25)
  expect not can_open_dispute(dhl, 2020-05-26)
  expect can_open_dispute(ems, 2020-05-29)
  expect not can_open_dispute(ems, 2020-05-30)
  expect can_open_dispute(post, 2020-06-10)
  expect not can_open_dispute(post, 2020-06-11)
}

test "(or should have shipped): counted from the end of the shipping time"
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?") {
  given o = Order { paid_at: 2020-05-01, carrier: Carrier.ups, ship_by: 2020-05-05 }
  expect not can_open_dispute(o, 2020-05-10)
  expect can_open_dispute(o, 2020-05-11)
  expect can_open_dispute(o, 2020-05-28)
  expect not can_open_dispute(o, 2020-05-29)
}

test "finding: other shipping options have no window"
  @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?") {
  given o = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.cainiao,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
  }
  expect dispute_closes(o) == none
  expect not can_open_dispute(o, 2020-05-10)
}
