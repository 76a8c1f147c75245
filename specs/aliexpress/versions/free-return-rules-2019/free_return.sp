# Free Return as the "AliExpress Rules about “Free Return”" state it (Article 3;
# the Rules "take effect on August 20th, 2019"): 15 days from the confirmation
# of receipt, by the buyer or by the system. This is the reading of the main
# suite (../../free_return.sp).

module free_return
import types

# "within 15 days from, as the case may be, 1) the date when the buyer confirms
#  receipt of the Participating Product, or 2) the date when the system
#  automatically confirms receipt of the Participating Product after confirming
#  that the Product has been duly delivered"
const free_return_days: Days = 15 days
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")

def free_return_closes(o: Order) -> Date?
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  = if o.receipt_confirmed_at is some(c) then some(c + free_return_days) else none

rule free_return_in_time(o: Order, today: Date)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  when o.receipt_confirmed_at is some(c) and today >= c and today <= c + free_return_days

# "These Rules shall take effect on August 20th, 2019."
const rules_effective_from: Date = 2019-08-20
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 11")

test "15 days from the confirmation of receipt"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3") {
  given o = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.aliexpress_shipping,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
  }
  expect free_return_in_time(o, 2020-05-27)
  expect not free_return_in_time(o, 2020-05-28)
}
