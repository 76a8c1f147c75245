# Shared enums and records of the AliExpress policy suite.
#
# Every module of this folder imports `types`. The records hold only facts the
# seed texts ask about; each topic module adds its own request records.
# Conventions used throughout the suite (see docs/findings.md for the reasons):
#   * Money is US$ with cents; Date is a calendar day (the text's PST days).
#   * "N days after/from/within <a day X>" ends on X + N days, inclusive
#     (the day after X is day 1), unless a rule says otherwise.
#   * Windows are inclusive at both ends.

# ---------------------------------------------------------------- countries

module types

enum Country @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?") {
  united_states @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?"),
  canada,
  australia,
  united_kingdom,
  france,
  spain,
  germany,
  italy,
  netherlands,
  brazil @cite("aliexpress-buyer-protection-program.txt", "For certain countries"),
  israel,
  russia @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service"),
  south_korea,
  saudi_arabia,
  uae,
  poland,
  ukraine @cite("aliexpress-buyer-protection-program.txt", "Free Return"),
  belgium @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service"),
  other_eu,
  other,
}

# Regions named by the seeds (only the Ukrainian ones matter: suspended returns).
enum Region @cite("aliexpress-buyer-protection-program.txt", "Free Return") {
  luhansk,
  donetsk,
  zaporozha,
  kherson,
  other,
}

record Address {
  country: Country
  postal_code: Text
  region: Region
}

# ---------------------------------------------------------------- carriers

# The eight express options of 2017, plus the Cainiao / AliExpress lines of the
# help centre's logistics table, plus anything else.
enum Carrier @cite("aliexpress-buyer-protection-2017.txt", "Shipping & Delivery") {
  tnt,
  ems,
  ups,
  fedex,
  dhl,
  china_post,
  hongkong_post,
  sf_express,
  cainiao
    @cite("aliexpress-buyer-help-center.txt", "What if the logistic information does not update anymore?"),
  aliexpress_shipping
    @cite("aliexpress-buyer-help-center.txt", "What if the logistic information does not update anymore?"),
  other,
}

# ---------------------------------------------------------------- items

# What an item is. The seeds' exception lists name kinds of goods; each kind
# they name is one variant (an item has one category).
enum Category {
  general,
  personalised
    @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?"),
  fragile
    @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?"),
  perishable_food @cite("aliexpress-buyer-protection-program.txt", "Service Scope"),
  other_food @cite("aliexpress-buyer-protection-program.txt", "For certain countries"),
  flowers_plants @cite("aliexpress-buyer-protection-program.txt", "Service Scope"),
  underwear @cite("aliexpress-buyer-protection-program.txt", "Service Scope"),
  socks @cite("aliexpress-buyer-protection-program.txt", "For certain countries"),
  hygiene_product
    @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?"),
  adult_product @cite("aliexpress-buyer-protection-program.txt", "Service Scope"),
  tickets_vouchers_services @cite("aliexpress-buyer-protection-program.txt", "Service Scope"),
  virtual_product
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d"),
  free_gift @cite("aliexpress-buyer-protection-program.txt", "Service Scope"),
  copiable_media
    @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?"),
  storage_device @cite("aliexpress-buyer-help-center.txt", "300% Guarantee"),
  phone @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service"),
  tablet @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service"),
  batteries @cite("aliexpress-buyer-protection-program.txt", "For certain countries"),
  prohibited @cite("aliexpress-buyer-protection-program.txt", "For certain countries"),
}

record Item {
  price: Money  # what the buyer was charged for this line, before coupons
  category: Category
  free_return_label: Bool
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 8")
  invariant price_not_negative: price >= US$0
}

# ---------------------------------------------------------------- orders

enum PaymentMethod @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?") {
  card,
  paypal,
  other,
}

# The logistics state shown while the parcel has not been delivered.
enum Tracking
  @cite("aliexpress-buyer-help-center.txt", "I have not received goods. What can I do?") {
  normal,  # "in transit with normal logistics update"
  no_information,  # "there is no tracking information"
  abnormal,  # "the tracking information still seems abnormal"
  returned_to_seller,
  held_in_customs,
  wrong_address,
}

# What a claim or dispute is about.
enum Problem @cite("aliexpress-buyer-protection-2017.txt", "What guarantees can I get?") {
  not_received @cite("aliexpress-buyer-protection-2017.txt", "What guarantees can I get?"),
  not_as_described @cite("aliexpress-buyer-protection-2017.txt", "What guarantees can I get?"),
  quality_issue @cite("aliexpress-buyer-help-center.txt", "I can't open dispute, what can I do?"),
  damaged @cite("aliexpress-buyer-protection-program.txt", "Buyer Protection Program"),
  shortage
    @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?"),
  counterfeit @cite("aliexpress-buyer-protection-2017.txt", "Guaranteed Genuine"),
  capacity_not_as_described @cite("aliexpress-buyer-help-center.txt", "300% Guarantee"),
  no_longer_wanted
    @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection"),
}

# "there is 15 days protection time for you to open dispute after delivery time
#  is out" / "you are allowed to open dispute in 15 days after 2020-05-24 PST".
# Reading (F2): the delivery time is out at the end of the deadline day d; the
# 15 days are d+1 .. d+15, so the last day is d + 15 days. (Used by
# disputes.dispute_closes, and by the Order invariant below.)
const protection_after_deadline: Days = 15 days
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")

record Order {
  paid_at: Date
  payment: PaymentMethod
  items: List[Item, 4]
  shipping_fee: Money
  cash_paid: Money
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8")
  shipped_at: Date? @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")
  # The last day of the delivery time promised by the seller (the countdown on
  # the order page, PST). It exists once the order has shipped.
  delivery_deadline: Date? @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")
  # The day the carrier's records show the parcel delivered.
  delivered_at: Date?
    @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection")
  # The day receipt was confirmed, by the buyer or automatically by the system.
  receipt_confirmed_at: Date?
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  tracking: Tracking
  # Refunds already paid on this order: Coupons Terms 8 caps "the refund for
  # such order", all refunds together. Absent: none so far.
  refunded_before: Money?
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8")
  invariant shipping_fee_not_negative: shipping_fee >= US$0
  invariant cash_not_negative: cash_paid >= US$0
  # Coupons and coins are "discounts and/or deductions" (Coupons Terms 1): they only lower what is paid.
  invariant cash_within_order_amount: cash_paid <= sum(i.price for i in items) + shipping_fee
  invariant earlier_refunds_within_cash:
    refunded_before ?? US$0 >= US$0 and refunded_before ?? US$0 <= cash_paid
  invariant ships_after_payment: if shipped_at is some(s) then s >= paid_at else true
  invariant deadline_once_shipped: (shipped_at is none) == (delivery_deadline is none)
  invariant deadline_after_shipment:
    if delivery_deadline is some(d) then d >= shipped_at ?? d else true
  invariant delivered_after_shipment:
    if delivered_at is some(v) then shipped_at is some(s) and v >= s else true
  invariant confirmed_after_shipment:
    if receipt_confirmed_at is some(c) then shipped_at is some(s) and c >= s else true
  # "If you don't confirm delivery, the order will be automatically closed when
  #  the Buyer Protection period has ended." Unconfirmed, that period ends 15
  #  days after the delivery deadline (F2); the order is closed then, so receipt
  #  cannot be confirmed later. Reading (F34): such an input is rejected, rather
  #  than letting a late confirmation reopen the dispute window (15 days after
  #  confirming, disputes.dispute_closes).
  invariant confirmed_within_protection:
    if receipt_confirmed_at is some(c) and delivery_deadline is some(d)
      then c <= d + protection_after_deadline
    else true
    @cite("aliexpress-buyer-help-center.txt", "How do I confirm delivery once I have received my order?")
}

def order_amount(o: Order) -> Money
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee")
  = sum(i.price for i in o.items) + o.shipping_fee

# "If a buyer is entitled to a refund, the refund amount will not exceed the
#  buyer's cash payment (e.g. if a US $5 coupon was used on a US $15 order, the
#  refund for such order will not exceed US $10)." -- what is left of the cash
#  payment after the refunds already made on the order. Every refund path of
#  the suite is capped by it.
def refundable_cash(o: Order) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8")
  = o.cash_paid - (o.refunded_before ?? US$0)

# "Only encode what the text says": the eight express options of 2017.
rule express_shipping_option(c: Carrier)
  @cite("aliexpress-buyer-protection-2017.txt", "Shipping & Delivery")
  when c in [
    Carrier.tnt,
    Carrier.ems,
    Carrier.ups,
    Carrier.fedex,
    Carrier.dhl,
    Carrier.china_post,
    Carrier.hongkong_post,
    Carrier.sf_express,
  ]

# EU membership is not policy text: it is general knowledge, used by the
# statutory-rights module ("in most EU countries"). The United Kingdom left the
# EU in 2020; the seeds do not say which countries count.
rule in_eu(c: Country)
  @cite("aliexpress-buyer-protection-program.txt", "For certain countries")
  when c in [
    Country.france,
    Country.spain,
    Country.germany,
    Country.italy,
    Country.netherlands,
    Country.poland,
    Country.belgium,
    Country.other_eu,
  ]

test "an order's amount is its items plus shipping"
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$10, category: Category.general, free_return_label: false },
      Item { price: US$4.50, category: Category.general, free_return_label: false },
    ],
    shipping_fee: US$1.25,
    cash_paid: US$15.75,
    tracking: Tracking.normal,
  }
  expect order_amount(o) == US$15.75
}

# "Currently suppliers can choose from eight express shipping options: TNT, EMS,
#  UPS, FedEx, DHL, China Post, Hongkong Post and S.F. Express."
test "the 2017 express options"
  @cite("aliexpress-buyer-protection-2017.txt", "Shipping & Delivery") {
  expect express_shipping_option(Carrier.sf_express)
  expect express_shipping_option(Carrier.hongkong_post)
  expect not express_shipping_option(Carrier.cainiao)
}

test "EU membership used by the statutory module" {
  expect in_eu(Country.belgium)
  expect not in_eu(Country.united_kingdom)
  expect not in_eu(Country.brazil)
}
