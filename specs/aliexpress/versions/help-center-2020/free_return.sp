# Free Return as the help centre's service page states it ("What's Free Return
# Service?"): "an extra 15 days (on top of the on-time delivery date)", in 16
# countries. The Rules' Article 3 (15 days from confirmed receipt) is
# versions/free-return-rules-2019 and the main suite; the Program page's "15
# calendar days from receiving" and 24 countries is versions/buyer-protection-program.

module free_return
import types

# "With AliExpress 'Free Return' service, you get an extra 15 days (on top of
#  the on-time delivery date) to decide if you want to keep or return the item
#  for any reason." Reading (F13): from receipt until the delivery deadline +
#  15 days.
const free_return_days: Days = 15 days
  @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?")

def free_return_closes(o: Order) -> Date?
  @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?")
  = if o.delivery_deadline is some(d) then some(d + free_return_days) else none

rule free_return_in_time(o: Order, today: Date)
  @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?")
  when o.delivered_at is some(v) and today >= v and free_return_closes(o) is some(e) and today <= e

# "Sorry that we do only support above 16 countries to enjoy Free Return service."
const free_return_country_count: Int = 16
  @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?")

rule free_return_country(c: Country)
  @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?")
  when c in [
    Country.united_states,
    Country.canada,
    Country.australia,
    Country.united_kingdom,
    Country.france,
    Country.spain,
    Country.germany,
    Country.italy,
    Country.netherlands,
    Country.brazil,
    Country.israel,
    Country.russia,
    Country.south_korea,
    Country.saudi_arabia,
    Country.uae,
    Country.poland,
  ]

# Delivered 2020-05-10, on-time delivery date 2020-05-24: returns until 2020-06-08.
test "15 days on top of the on-time delivery date"
  @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?") {
  given o = Order {
    paid_at: 2020-05-01,
    carrier: Carrier.aliexpress_shipping,
    ship_by: 2020-05-04,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
  }
  expect free_return_in_time(o, 2020-06-08)
  expect not free_return_in_time(o, 2020-06-09)
  expect not free_return_in_time(o, 2020-05-09)
}

test "16 countries" @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?") {
  expect free_return_country(Country.israel)
  expect not free_return_country(Country.belgium)
}
