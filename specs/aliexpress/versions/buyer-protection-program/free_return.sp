# Free Return as the Buyer Protection Program page states it
# (aliexpress-buyer-protection-program.txt, "Free Return"): 15 calendar days
# from receiving the items; "currently there are 24 countries".

module free_return
import types

# "For items with "Free Return" label, you can return the products within 15
#  calendar days from receiving the item(s) in an eligible delivery location"
# -- counted from the day the parcel was received (delivered), not from the
# confirmation of receipt (F13).
const free_return_days: Days = 15 days
  @cite("aliexpress-buyer-protection-program.txt", "Free Return")

def free_return_closes(o: Order) -> Date?
  @cite("aliexpress-buyer-protection-program.txt", "Free Return")
  = if o.delivered_at is some(v) then some(v + free_return_days) else none

rule free_return_in_time(o: Order, today: Date)
  @cite("aliexpress-buyer-protection-program.txt", "Free Return")
  when o.delivered_at is some(v) and today >= v and today <= v + free_return_days

# "currently there are 24 countries is enjoying this service" -- the page names
# none of them, so there is no country rule in this version (F14).
const free_return_country_count: Int = 24
  @cite("aliexpress-buyer-protection-program.txt", "Service Scope")

test "15 calendar days from receiving"
  @cite("aliexpress-buyer-protection-program.txt", "Free Return") {
  given o = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.aliexpress_shipping,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
  }
  expect free_return_in_time(o, 2020-05-25)
  expect not free_return_in_time(o, 2020-05-26)
}
