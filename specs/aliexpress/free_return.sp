# Free Return: the 15-day return without cause, the Free Delivery Service
# (pre-paid labels), where it is offered, what is excluded, intactness, and the
# deductions from the refund.
#
# Sources: "AliExpress Rules about “Free Return”" Articles 1-13 in
# aliexpress-buyer-help-center.txt, its "What's Free Return Service?" page, and
# the "Free Return" and "Service Scope" sections of
# aliexpress-buyer-protection-program.txt.
# Which version wins (docs/findings.md F13, F14): the window is Article 3's
# ("within 15 days from ... the date when the buyer confirms receipt ... or the
# date when the system automatically confirms receipt"), not the service page's
# "extra 15 days (on top of the on-time delivery date)"; the countries are the
# 16 the help centre lists (the Program page says 24 but names none). The other
# readings are in versions/.

module free_return
import types, disputes

# ============================================================ records

record Parcel {
  longest_side: Length
  dimension_sum: Length  # length + width + height
  weight: Mass
  invariant sizes_not_negative: longest_side >= 0 mm and weight >= 0 g
  invariant longest_within_sum: longest_side <= dimension_sum
}

# Facts about one returned item.
record ReturnLine {
  item: Item
  used: Bool  # worn, washed, traces of use, activated
  damaged: Bool  # damage or contamination (opening the package to check is not damage)
  tags_or_seals_removed: Bool  # tags, hygiene sticker, safety seals, anti-counterfeiting mark
  incomplete: Bool  # incomplete set; accessories, manuals or warranty cards missing
  package_incomplete: Bool  # original package missing parts, or its form beyond transport/unpacking wear
  special_package_devalued: Bool  # a package of special value damaged, devaluing the product
  special_requirement_prominent: Bool  # the seller's protection requirement was prominent and explicit
}

# Articles 9 and 10: circumstances in which the seller owes neither the Free
# Return Service nor a refund.
enum Circumstance
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 9") {
  buyer_fraud,
  war_or_crime,  # wars, military actions, terrorist events, strikes, riots, theft, robbery
  confiscation,
  contamination,  # nuclear reaction, radiation, radioactive or other contamination
  natural_disaster,
  improper_conduct,
  wear_and_tear,
  product_recall,
  transport_external_cause,
  undetectable_defect,
  quality_issue_accepted
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 10"),
  sold_after_seller_suspended
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 10"),
}

record ReturnRequest {
  order: Order
  ship_to: Address
  parcel: Parcel
  requested_on: Date  # the day the return is applied for ("open a Dispute")
  lines: List[ReturnLine, 3]
  entitlement_confirmed: Bool  # large/overseas orders: seller or customer service confirmed before ordering
  labels_this_month: Int  # pre-paid return labels already received this month
  free_delivery_used_on_order: Bool  # the order's one Free Delivery Service is already used
  uses_free_delivery: Bool
  gift_deduction: Money  # market price of gifts lost or damaged
  invoice_lost: Bool
  tax_rate: Percent  # the tax on the returned goods
  partial_return_breaks_free_shipping: Bool
  seller_shipping_cost: Money  # the outbound shipping the seller bore
  return_shipping_cost: Money  # the cost of the return leg
  abuse: Bool  # AliExpress determined abuse (Article 7)
  circumstance: Circumstance?
  tracking_submitted_on: Date?  # buyer shipping by himself: tracking number filled in
  warehouse_received_on: Date?
  invariant lines_of_the_order: forall l in lines. l.item in order.items
  invariant labels_not_negative: labels_this_month >= 0
  invariant deductions_not_negative:
    gift_deduction >= US$0 and seller_shipping_cost >= US$0 and return_shipping_cost >= US$0
  invariant tax_rate_range: tax_rate >= 0% and tax_rate <= 100%
}

# ============================================================ the window

# "a buyer can apply for a return and refund of a Participating Product without
#  cause within 15 days from, as the case may be, 1) the date when the buyer
#  confirms receipt of the Participating Product, or 2) the date when the system
#  automatically confirms receipt" -- last day: confirmation + 15 days (F2).
const free_return_days: Days = 15 days
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")

def free_return_closes(o: Order) -> Date?
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  = if o.receipt_confirmed_at is some(c) then some(c + free_return_days) else none

rule within_free_return_window(r: ReturnRequest)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  when r.order.receipt_confirmed_at is some(c)
    and r.requested_on >= c
    and r.requested_on <= c + free_return_days

# ============================================================ where

# "If you are in other countries: Sorry that we do only support above 16
#  countries to enjoy Free Return service." ("I am in the mainland territories
#  of the United States", Canada, Australia, United Kingdom, France, Spain,
#  Germany, Italy, Netherlands, Brazil, Israel, Russia, South Korea, Saudi
#  Arabia, UAE, Poland)
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

# "Large Orders refer to the parcels exceeding one of the following standards:
#  Longest side: 120 CM / Total of length, width and height: 210 CM / Weight: 30 KG"
const large_longest_side: Length = 120 cm
  @cite("aliexpress-buyer-protection-program.txt", "Free Return")

const large_dimension_sum: Length = 210 cm
  @cite("aliexpress-buyer-protection-program.txt", "Free Return")

const large_weight: Mass = 30 kg @cite("aliexpress-buyer-protection-program.txt", "Free Return")

rule large_order(p: Parcel)
  @cite("aliexpress-buyer-protection-program.txt", "Free Return")
  when p.longest_side > large_longest_side
  when p.dimension_sum > large_dimension_sum
  when p.weight > large_weight

# "Overseas Territories Orders refer to the orders with addresses in the
#  territories of Spain, the postal code of which starts with 35, 38, 51 or 52."
rule overseas_territory(a: Address)
  @cite("aliexpress-buyer-protection-program.txt", "Free Return")
  when a.country == Country.spain
    and (
      starts_with(a.postal_code, "35")
      or starts_with(a.postal_code, "38")
      or starts_with(a.postal_code, "51")
      or starts_with(a.postal_code, "52")
    )

# "United States : military zip code starts with 090-099, 962-966 and 340, PR
#  zip code starts with 006-009, HI zip code begins with 967-969."
rule us_return_suspended_zip(z: Text)
  @cite("aliexpress-buyer-protection-program.txt", "Free Return")
  when starts_with(z, "09")  # military 090-099
  when starts_with(z, "962")
    or starts_with(z, "963")
    or starts_with(z, "964")
    or starts_with(z, "965")
    or starts_with(z, "966")
  # military 962-966
  when starts_with(z, "340")  # military 340
  when starts_with(z, "006")
    or starts_with(z, "007")
    or starts_with(z, "008")
    or starts_with(z, "009")
  # Puerto Rico 006-009
  when starts_with(z, "967") or starts_with(z, "968") or starts_with(z, "969")  # Hawaii 967-969

# "Return package services are currently suspended for the following areas and
#  territories: Ukraine: regions of Luhansk, Donetsk, Zaporozha, Kherson."
rule return_service_suspended(a: Address)
  @cite("aliexpress-buyer-protection-program.txt", "Free Return")
  when a.country == Country.ukraine
    and a.region in [Region.luhansk, Region.donetsk, Region.zaporozha, Region.kherson]
  when a.country == Country.united_states and us_return_suspended_zip(a.postal_code)

# ============================================================ what

# "Most items are eligible for free returns if you're not satisfied, except:"
# The first exception is the state the item is in; the other five are kinds of
# goods. They are separate rules because the warehouse finds out the first only
# when the item arrives (Art. 3, `shipped_back_at_buyer_cost`, F42).
# "1. Items that are worn, washed, damaged, with tags, packaging or hygiene
#  sticker removed or in an incomplete set."
rule worn_or_incomplete(l: ReturnLine)
  @cite("aliexpress-buyer-protection-program.txt", "Service Scope")
  when l.used or l.damaged or l.tags_or_seals_removed or l.incomplete or l.package_incomplete

rule outside_service_scope(l: ReturnLine)
  @cite("aliexpress-buyer-protection-program.txt", "Service Scope")
  when worn_or_incomplete(l)
  when kind_outside_service_scope(l)

rule kind_outside_service_scope(l: ReturnLine)
  @cite("aliexpress-buyer-protection-program.txt", "Service Scope")
  # "2. Fresh & Frozen Food, Dairy & Eggs, Live plants and etc."
  when l.item.category in [Category.perishable_food, Category.flowers_plants]
  # "3. Underwear, Panties , Adult Products and etc."
  when l.item.category in [Category.underwear, Category.adult_product]
  # "4. Tickets, Vouchers & Services, Virtual products and etc."
  when l.item.category in [Category.tickets_vouchers_services, Category.virtual_product]
  # "5. Free gifts"
  when l.item.category == Category.free_gift
  # "6. Customized products"
  when l.item.category == Category.personalised

# Article 5, standards of intactness.
rule intact(l: ReturnLine)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 5")
  # "there are no traces of usage on the appearance or other traces which
  #  indicate unreasonable personal use"; "any activation/authorization has not
  #  been made"; "Where any use ... results in significant devaluation"
  unless l.used
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 5")
  # "show no signs of damage or contamination"
  unless l.damaged
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 5")
  # "the anti-counterfeiting mark has not been scraped"; accessories "such as tags"
  unless l.tags_or_seals_removed
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 5")
  # "all accompanying accessories (such as tags, manuals, and warranty cards) are complete"
  unless l.incomplete
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 5")
  # "(1) ... There is no missing part in the original package, and the form,
  #  shape and structure of the package is complete."
  unless l.package_incomplete
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 5(3)(1)")
  # "(2) ... If the damage of such package results in devaluation and/or loss of
  #  functions, the Product will be devalued ... However, where the Participating
  #  Seller makes requirement about protection of special packages but fails to
  #  do so in a prominent and explicit way, the standards of intactness for
  #  regular package shall apply."
  unless l.special_package_devalued
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 5(3)(2)")
    except not l.special_requirement_prominent
      @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 5(3)(2)")

# ============================================================ eligibility

# The Free Return Service applies to the request, whatever the state of the
# goods: Article 3's window, Article 8 ("Free Return" icon), the countries, the
# kinds of goods in the service scope, the suspended areas, and the large /
# overseas orders that need the entitlement confirmed "before you place the
# order".
rule free_return_applies(r: ReturnRequest)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  when within_free_return_window(r)
    and size(r.lines) >= 1
    and (forall l in r.lines. l.item.free_return_label)
    and free_return_country(r.ship_to.country)
  unless exists l in r.lines. kind_outside_service_scope(l)
    @cite("aliexpress-buyer-protection-program.txt", "Service Scope")
  unless return_service_suspended(r.ship_to)
    @cite("aliexpress-buyer-protection-program.txt", "Free Return")
  unless large_order(r.parcel) @cite("aliexpress-buyer-protection-program.txt", "Free Return")
    except r.entitlement_confirmed
  unless overseas_territory(r.ship_to)
    @cite("aliexpress-buyer-protection-program.txt", "Free Return")
    except r.entitlement_confirmed

# Article 3: a buyer can apply for a return and refund within the 15 days
#  "if the Participating Product meets the standards of intactness as
#  stipulated in Article 5"; the Program's service scope: "1. Items that are
#  worn, washed, damaged, with tags, packaging or hygiene sticker removed or in
#  an incomplete set."
rule free_return_eligible(r: ReturnRequest)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  when free_return_applies(r)
  unless exists l in r.lines. worn_or_incomplete(l)
    @cite("aliexpress-buyer-protection-program.txt", "Service Scope")

# "After the Participating Product has been shipped to Free Return Warehouse and
#  verified ... to meet the standards of intactness ..., buyer may receive the
#  refund" / Articles 9 and 10.
rule free_return_refundable(r: ReturnRequest)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  when free_return_eligible(r) and (forall l in r.lines. intact(l))
  unless r.circumstance is some(x) and not article_10_circumstance(x)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 9")
  # "the Participating Seller shall not be responsible for losses and costs of
  #  the following products"
  unless r.circumstance is some(x) and article_10_circumstance(x)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 10")

# Article 10's two products ("Quality issues of a product have been
#  acknowledged and accepted by the buyer"; "Products are sold after the
#  Participating Seller has been suspended, closed down or bankrupted"); the
#  other circumstances are Article 9's.
rule article_10_circumstance(x: Circumstance)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 10")
  when x in [Circumstance.quality_issue_accepted, Circumstance.sold_after_seller_suspended]

# "If the Participating Product returned by the buyer does not meet the
#  standards of intactness, Free Return Warehouse will ship such Participating
#  Product back to the buyer, with the cost of shipment to be borne by the buyer."
# Reading (docs/findings.md F42): the warehouse checks intactness when the
# product arrives, so the rule asks that the Free Return Service applies to the
# request (`free_return_applies`), not the eligibility to apply, which a worn,
# damaged or incomplete item fails by the very fact the warehouse finds: an
# item returned with traces of use (Art. 5.1: "there are no traces of usage")
# is shipped back at the buyer's cost, and not refunded.
rule shipped_back_at_buyer_cost(r: ReturnRequest)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  when (exists l in r.lines. not intact(l)) and free_return_applies(r)

# ============================================================ Free Delivery

# "you are only entitled to receive a maximum of three (3) pre-paid return
#  labels per month."
const max_prepaid_labels_per_month: Int = 3
  @cite("aliexpress-buyer-protection-program.txt", "Service Scope")

# Article 2: "buyers that may not use the Free Return Service are
#  automatically excluded from the Free Delivery Service" / "The Participating
#  Buyer acknowledges that he or she will only be entitled to enjoy the Free
#  Delivery Service once for each order" (the Program page's "several pre-paid
#  return labels (up to three)" per order is F15). Each condition has its own
#  clause and its own source.
# Articles 9 and 10 (F41): under their circumstances the seller "shall not be
#  obliged in any way to offer the Free Return Service, Free Delivery Service
#  (if applicable) and/or provide the refund" (Art. 9) and "shall not be under
#  any obligation to provide Free Delivery Service for the following products"
#  (Art. 10) -- so no Free Delivery, as no refund (`free_return_refundable`).
rule free_delivery_available(r: ReturnRequest)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 2")
  when free_return_eligible(r)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 2")
  unless r.free_delivery_used_on_order
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 2")
  # "you are only entitled to receive a maximum of three (3) pre-paid return
  #  labels per month."
  unless r.labels_this_month >= max_prepaid_labels_per_month
    @cite("aliexpress-buyer-protection-program.txt", "Service Scope")
  unless r.circumstance is some(x) and not article_10_circumstance(x)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 9")
  unless r.circumstance is some(x) and article_10_circumstance(x)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 10")

# "If a buyer does not use the Free Delivery Service, the buyer shall bear the
#  cost of returning the Participating Product to Free Return Warehouse"
rule buyer_bears_cost_of_return(r: ReturnRequest)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 7")
  when not (r.uses_free_delivery and free_delivery_available(r))

# ============================================================ the refund

def returned_value(r: ReturnRequest) -> Money
  @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?")
  = sum(l.item.price for l in r.lines)

# "for loss of invoice, the buyer shall bear the corresponding tax."
# Reading (F16): the tax is tax_rate times the returned goods' price, rounded
# half up to the cent (the text names no base and no rounding).
def invoice_tax(r: ReturnRequest) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 6")
  = if r.invoice_lost then round_half_up(returned_value(r) * r.tax_rate) else US$0

def shipping_deduction(r: ReturnRequest) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 7")
  # "the buyer shall bear all shipping costs, and AliExpress shall be entitled
  #  to deduct all shipping costs from the refund" -- the return leg only when
  #  the buyer did not already pay it himself.
  when r.abuse
    => r.seller_shipping_cost + (if r.uses_free_delivery then r.return_shipping_cost else US$0)
  # "if the Participating Product is subject to conditional free shipping and
  #  the buyer's partial return results in nonsatisfaction of the free shipping
  #  conditions, AliExpress shall deduct shipment costs borne by the buyer on
  #  behalf of Participating Seller from the refund"
  when r.partial_return_breaks_free_shipping => r.seller_shipping_cost
  otherwise => US$0

# "for damage or loss of gift, a deduction from the refund shall be made based
#  on the gift's market price"
def free_return_deductions(r: ReturnRequest) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 6")
  = r.gift_deduction + invoice_tax(r) + shipping_deduction(r)

# The refund: the returned goods' price, never above the cash left to refund on
# the order (Coupons Terms 8), less the deductions, never below zero.
# The text does not spread a coupon's discount over the items (F29): returning
# one item of an order paid partly with a coupon refunds its full price, up to
# the cash left.
def free_return_refund(r: ReturnRequest) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  when not free_return_refundable(r) => US$0
  otherwise => max(
    US$0,
    min(returned_value(r), refundable_cash(r.order)) - free_return_deductions(r),
  )
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 6")

# "if the Free Return Warehouse does not receive the returned Participating
#  Product within 7 days after buyer submitted shipment tracking number ...,
#  AliExpress shall be entitled to determine liability upon arbitration"
const warehouse_receipt_days: Days = 7 days
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")

rule liability_by_arbitration(r: ReturnRequest, today: Date)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")
  when r.tracking_submitted_on is some(t)
    and today > t + warehouse_receipt_days
    and r.warehouse_received_on ?? today > t + warehouse_receipt_days

# Who bears the risk of loss of the returned parcel, once it is handed over.
enum RiskTaker
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 4") {
  delivery_provider,  # the provider the seller specified (Free Delivery Service)
  free_return_warehouse,  # the warehouse, on receipt (the buyer ships by himself)
}

# Article 3: "if such buyer arranges for shipment by himself or herself ..., the
# risk of loss passes from the buyer to the Free Return Warehouse at the time of
# receipt of products by the Free Return Warehouse." Article 4: "if such
# Participating Buyer uses the Free Delivery Service, the risk of loss passes
# from the Participating Buyer to the delivery service provider specified by the
# Participating Seller at the time of receipt of products by the delivery
# service provider"
def risk_of_loss_passes_to(r: ReturnRequest) -> RiskTaker
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 4")
  when r.uses_free_delivery and free_delivery_available(r) => RiskTaker.delivery_provider
  otherwise => RiskTaker.free_return_warehouse
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3")

# ============================================================ the Rules themselves

# "These Rules shall take effect on August 20th, 2019."
const free_return_rules_effective: Date = 2019-08-20
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 11")

# "These Rules are governed, interpreted and enforced by the laws of Hong Kong"
const free_return_rules_governing_law: Text = "Hong Kong"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 12")

# "In case of any discrepancy between different language versions, the English
#  one shall prevail."
const free_return_rules_prevailing_language: Text = "English"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 13")

# ============================================================ tests
#
# The running example: an order of a US$20 and a US$10 item, both with the
# "Free Return" icon, paid US$30, shipped 2020-05-02, delivered 2020-05-10,
# receipt confirmed 2020-05-12, to Madrid (28001) in a 40 cm / 90 cm / 2 kg parcel.

# "within 15 days from ... the date when the buyer confirms receipt"
test "window: 15 days from confirmed receipt"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$20, category: Category.general, free_return_label: true },
      Item { price: US$10, category: Category.general, free_return_label: true },
    ],
    shipping_fee: US$0,
    cash_paid: US$30,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given last_day = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.spain, postal_code: "28001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-27,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given day_after = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.spain, postal_code: "28001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-28,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  expect free_return_closes(o) == some(2020-05-27)
  expect free_return_eligible(last_day)
  expect free_return_refund(last_day) == US$20
  expect free_delivery_available(last_day)
  expect not buyer_bears_cost_of_return(last_day)
  expect not free_return_eligible(day_after)
  expect free_return_refund(day_after) == US$0
}

# Article 3 sends the return "through "open a Dispute"", but a dispute opens on
# the 11th day after shipment (2020-05-12 here): a return applied for on
# 2020-05-08, 3 days after receipt, is within the Free Return window while the
# dispute button is not yet available (F17).
test "finding: the free-return window starts before a dispute can be opened"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: true }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-04,
    receipt_confirmed_at: 2020-05-05,
    tracking: Tracking.normal,
  }
  given r = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.france, postal_code: "75001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-08,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  expect free_return_eligible(r)
  expect not can_open_dispute(o, Problem.no_longer_wanted, 2020-05-08)
  expect can_open_dispute(o, Problem.no_longer_wanted, 2020-05-12)
}

# "Longest side: 120 CM / Total of length, width and height: 210 CM / Weight: 30 KG"
test "large orders: exceeding 120 cm, 210 cm or 30 kg"
  @cite("aliexpress-buyer-protection-program.txt", "Free Return") {
  expect not large_order(Parcel { longest_side: 120 cm, dimension_sum: 210 cm, weight: 30 kg })
  expect large_order(Parcel { longest_side: 121 cm, dimension_sum: 200 cm, weight: 1 kg })
  expect large_order(Parcel { longest_side: 1201 mm, dimension_sum: 200 cm, weight: 1 kg })
  expect large_order(Parcel { longest_side: 100 cm, dimension_sum: 211 cm, weight: 1 kg })
  expect large_order(Parcel { longest_side: 100 cm, dimension_sum: 200 cm, weight: 30001 g })
}

# "please contact the seller or the platform customer service to confirm if you
#  are entitled to Free Return service."
test "a large order needs the entitlement confirmed before ordering"
  @cite("aliexpress-buyer-protection-program.txt", "Free Return") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$200, category: Category.general, free_return_label: true }],
    shipping_fee: US$0,
    cash_paid: US$200,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given unconfirmed = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 121 cm, dimension_sum: 200 cm, weight: 12 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$200, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given confirmed = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 121 cm, dimension_sum: 200 cm, weight: 12 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$200, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: true,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  expect not free_return_eligible(unconfirmed)
  expect free_return_eligible(confirmed)
}

# "the territories of Spain, the postal code of which starts with 35, 38, 51 or 52"
test "Spanish overseas territories by postcode"
  @cite("aliexpress-buyer-protection-program.txt", "Free Return") {
  expect overseas_territory(Address {
    country: Country.spain,
    postal_code: "35001",
    region: Region.other,
  })
  expect overseas_territory(Address {
    country: Country.spain,
    postal_code: "38001",
    region: Region.other,
  })
  expect overseas_territory(Address {
    country: Country.spain,
    postal_code: "51001",
    region: Region.other,
  })
  expect overseas_territory(Address {
    country: Country.spain,
    postal_code: "52001",
    region: Region.other,
  })
  expect not overseas_territory(Address {
    country: Country.spain,
    postal_code: "28001",
    region: Region.other,
  })
  expect not overseas_territory(Address {
    country: Country.spain,
    postal_code: "36001",
    region: Region.other,
  })
  expect not overseas_territory(Address {
    country: Country.france,
    postal_code: "35000",
    region: Region.other,
  })
}

# "Ukraine: regions of Luhansk, Donetsk, Zaporozha, Kherson." / "United States :
#  military zip code starts with 090-099, 962-966 and 340, PR zip code starts
#  with 006-009, HI zip code begins with 967-969."
test "suspended areas" @cite("aliexpress-buyer-protection-program.txt", "Free Return") {
  expect return_service_suspended(Address {
    country: Country.ukraine,
    postal_code: "69000",
    region: Region.zaporozha,
  })
  expect not return_service_suspended(Address {
    country: Country.ukraine,
    postal_code: "01001",
    region: Region.other,
  })
  expect return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "09001",
    region: Region.other,
  })
  expect return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "09999",
    region: Region.other,
  })
  expect return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "96201",
    region: Region.other,
  })
  expect return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "96601",
    region: Region.other,
  })
  expect not return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "96101",
    region: Region.other,
  })
  expect return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "34001",
    region: Region.other,
  })
  expect not return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "34101",
    region: Region.other,
  })
  expect return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "00601",
    region: Region.other,
  })
  expect return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "00901",
    region: Region.other,
  })
  expect not return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "00501",
    region: Region.other,
  })
  expect return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "96701",
    region: Region.other,
  })
  expect return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "96950",
    region: Region.other,
  })
  expect not return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "97001",
    region: Region.other,
  })
  expect not return_service_suspended(Address {
    country: Country.united_states,
    postal_code: "10001",
    region: Region.other,
  })
  # the ZIP ranges are for US addresses only
  expect not return_service_suspended(Address {
    country: Country.canada,
    postal_code: "09001",
    region: Region.other,
  })
}

# "we do only support above 16 countries"
test "the 16 Free Return countries"
  @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?") {
  expect free_return_country(Country.united_states)
  expect free_return_country(Country.poland)
  expect free_return_country(Country.south_korea)
  expect not free_return_country(Country.ukraine)
  expect not free_return_country(Country.belgium)
  expect not free_return_country(Country.other)
}

# "Most items are eligible for free returns ..., except: ... 2. Fresh & Frozen
#  Food ... 5. Free gifts 6. Customized products" and "1. Items that are worn,
#  washed, damaged, with tags, packaging or hygiene sticker removed or in an
#  incomplete set."
test "service scope exclusions" @cite("aliexpress-buyer-protection-program.txt", "Service Scope") {
  expect outside_service_scope(ReturnLine {
    item: Item { price: US$5, category: Category.perishable_food, free_return_label: true },
    used: false,
    damaged: false,
    tags_or_seals_removed: false,
    incomplete: false,
    package_incomplete: false,
    special_package_devalued: false,
    special_requirement_prominent: false,
  })
  expect outside_service_scope(ReturnLine {
    item: Item { price: US$5, category: Category.free_gift, free_return_label: true },
    used: false,
    damaged: false,
    tags_or_seals_removed: false,
    incomplete: false,
    package_incomplete: false,
    special_package_devalued: false,
    special_requirement_prominent: false,
  })
  expect outside_service_scope(ReturnLine {
    item: Item { price: US$5, category: Category.personalised, free_return_label: true },
    used: false,
    damaged: false,
    tags_or_seals_removed: false,
    incomplete: false,
    package_incomplete: false,
    special_package_devalued: false,
    special_requirement_prominent: false,
  })
  expect outside_service_scope(ReturnLine {
    item: Item { price: US$5, category: Category.general, free_return_label: true },
    used: true,
    damaged: false,
    tags_or_seals_removed: false,
    incomplete: false,
    package_incomplete: false,
    special_package_devalued: false,
    special_requirement_prominent: false,
  })
  expect outside_service_scope(ReturnLine {
    item: Item { price: US$5, category: Category.general, free_return_label: true },
    used: false,
    damaged: false,
    tags_or_seals_removed: true,
    incomplete: false,
    package_incomplete: false,
    special_package_devalued: false,
    special_requirement_prominent: false,
  })
  expect not outside_service_scope(ReturnLine {
    item: Item { price: US$5, category: Category.general, free_return_label: true },
    used: false,
    damaged: false,
    tags_or_seals_removed: false,
    incomplete: false,
    package_incomplete: false,
    special_package_devalued: false,
    special_requirement_prominent: false,
  })
}

# Article 5(3)(2): a special package damaged with devaluation fails intactness
# only when the seller's requirement was prominent and explicit.
test "intactness of special packages"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 5(3)(2)") {
  expect not intact(ReturnLine {
    item: Item { price: US$5, category: Category.general, free_return_label: true },
    used: false,
    damaged: false,
    tags_or_seals_removed: false,
    incomplete: false,
    package_incomplete: false,
    special_package_devalued: true,
    special_requirement_prominent: true,
  })
  expect intact(ReturnLine {
    item: Item { price: US$5, category: Category.general, free_return_label: true },
    used: false,
    damaged: false,
    tags_or_seals_removed: false,
    incomplete: false,
    package_incomplete: false,
    special_package_devalued: true,
    special_requirement_prominent: false,
  })
  expect not intact(ReturnLine {
    item: Item { price: US$5, category: Category.general, free_return_label: true },
    used: false,
    damaged: false,
    tags_or_seals_removed: false,
    incomplete: false,
    package_incomplete: true,
    special_package_devalued: false,
    special_requirement_prominent: false,
  })
}

# "you are only entitled to receive a maximum of three (3) pre-paid return
#  labels per month" / "only be entitled to enjoy the Free Delivery Service once
#  for each order"
test "pre-paid labels: three a month, one Free Delivery per order"
  @cite("aliexpress-buyer-protection-program.txt", "Service Scope") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: true }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given two_used = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.italy, postal_code: "00118", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 2,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given three_used = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.italy, postal_code: "00118", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 3,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given second_on_order = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.italy, postal_code: "00118", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 1,
    free_delivery_used_on_order: true,
    uses_free_delivery: false,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  expect free_delivery_available(two_used)
  expect not free_delivery_available(three_used)
  expect free_return_eligible(three_used)
  expect buyer_bears_cost_of_return(three_used)
  expect not free_delivery_available(second_on_order)
  # "Buyers that may not use the Free Delivery Service shall still be entitled
  #  to enjoy the Free Return Service"
  expect free_return_eligible(second_on_order)
  expect buyer_bears_cost_of_return(second_on_order)
}

# Article 6: gift at market price, lost invoice: tax; Article 7: broken
# free-shipping condition, abuse. Returning the US$20 item of the running example.
test "deductions from the refund"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 6") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$20, category: Category.general, free_return_label: true },
      Item { price: US$12.50, category: Category.general, free_return_label: true },
    ],
    shipping_fee: US$0,
    cash_paid: US$32.50,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given gift = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.france, postal_code: "75001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$3,
    invoice_lost: false,
    tax_rate: 20%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$4,
    return_shipping_cost: US$6,
    abuse: false,
  }
  # 21% of US$12.50 is US$2.625: rounded half up to US$2.63
  given invoice = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.france, postal_code: "75001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$12.50, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: true,
    tax_rate: 21%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$4,
    return_shipping_cost: US$6,
    abuse: false,
  }
  given threshold = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.france, postal_code: "75001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 20%,
    partial_return_breaks_free_shipping: true,
    seller_shipping_cost: US$4,
    return_shipping_cost: US$6,
    abuse: false,
  }
  given abuse = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.france, postal_code: "75001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 20%,
    partial_return_breaks_free_shipping: true,
    seller_shipping_cost: US$4,
    return_shipping_cost: US$6,
    abuse: true,
  }
  given abuse_self_shipped = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.france, postal_code: "75001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: false,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 20%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$4,
    return_shipping_cost: US$6,
    abuse: true,
  }
  given greedy_gift = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.france, postal_code: "75001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$12.50, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$15,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  expect free_return_refund(gift) == US$17
  expect invoice_tax(invoice) == US$2.63
  expect free_return_refund(invoice) == US$9.87
  expect free_return_refund(threshold) == US$16
  expect free_return_refund(abuse) == US$10
  expect free_return_refund(abuse_self_shipped) == US$16
  # deductions above the refund: the refund is zero, never negative
  expect free_return_refund(greedy_gift) == US$0
}

# Coupons Terms 8: "the refund amount will not exceed the buyer's cash payment"
test "free-return refund never above the cash paid"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$15, category: Category.general, free_return_label: true }],
    shipping_fee: US$0,
    cash_paid: US$10,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given r = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.canada, postal_code: "K1A 0B1", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$15, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  expect free_return_refund(r) == US$10
}

# "If the Participating Product returned by the buyer does not meet the
#  standards of intactness, Free Return Warehouse will ship such Participating
#  Product back to the buyer" / Article 9 "(5) Natural disasters"
test "not intact, or an Article 9 circumstance: no refund"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: true }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given torn_box = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.netherlands, postal_code: "1011", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: true,
      special_requirement_prominent: true,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given flood = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.netherlands, postal_code: "1011", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
    circumstance: Circumstance.natural_disaster,
  }
  expect free_return_eligible(torn_box)
  expect not free_return_refundable(torn_box)
  expect shipped_back_at_buyer_cost(torn_box)
  expect free_return_refund(torn_box) == US$0
  expect free_return_eligible(flood)
  expect free_return_refund(flood) == US$0
}

# Worked out by hand (F41). Art. 9: the seller "shall not be obliged in any
#  way to offer the Free Return Service, Free Delivery Service (if applicable)
#  and/or provide the refund"; Art. 10: "shall not be under any obligation to
#  provide Free Delivery Service for the following products: (1) Quality
#  issues of a product have been acknowledged and accepted by the buyer";
#  Art. 2: "buyers that may not use the Free Return Service are automatically
#  excluded from the Free Delivery Service"; Art. 7: "If a buyer does not use
#  the Free Delivery Service, the buyer shall bear the cost of returning";
#  Art. 3: shipping by himself, "the risk of loss passes ... at the time of
#  receipt of products by the Free Return Warehouse".
#  A US$20 + US$10 order to Berlin, receipt confirmed 2021-03-09: the Free
#  Return window is 2021-03-09 .. 2021-03-24 (Art. 3, F2). The US$20 item,
#  intact, returned with a label: Free Delivery on the first and last day of
#  the window, not the day before or after (Art. 2); with an Article 9 or 10
#  circumstance on those days, no refund and no Free Delivery: the buyer ships
#  it at his cost and bears the risk until the warehouse receives it.
test "Articles 9 and 10: no Free Delivery either"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 10") {
  given o = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$20, category: Category.general, free_return_label: true },
      Item { price: US$10, category: Category.general, free_return_label: true },
    ],
    shipping_fee: US$0,
    cash_paid: US$30,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    delivered_at: 2021-03-08,
    receipt_confirmed_at: 2021-03-09,
    tracking: Tracking.normal,
  }
  given before = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-08,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given first_day = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-09,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given last_day = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-24,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given after = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-25,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given disaster_first_day = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-09,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
    circumstance: Circumstance.natural_disaster,
  }
  given accepted_last_day = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-24,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
    circumstance: Circumstance.quality_issue_accepted,
  }
  given suspended_seller = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
    circumstance: Circumstance.sold_after_seller_suspended,
  }
  expect not free_delivery_available(before)
  expect buyer_bears_cost_of_return(before)
  expect free_delivery_available(first_day)
  expect not buyer_bears_cost_of_return(first_day)
  expect risk_of_loss_passes_to(first_day) == RiskTaker.delivery_provider
  expect free_return_refund(first_day) == US$20
  expect free_delivery_available(last_day)
  expect not free_delivery_available(after)
  expect buyer_bears_cost_of_return(after)
  expect risk_of_loss_passes_to(after) == RiskTaker.free_return_warehouse
  expect free_return_eligible(disaster_first_day)
  expect not free_return_refundable(disaster_first_day)
  expect not free_delivery_available(disaster_first_day)
  expect buyer_bears_cost_of_return(disaster_first_day)
  expect risk_of_loss_passes_to(disaster_first_day) == RiskTaker.free_return_warehouse
  expect free_return_refund(disaster_first_day) == US$0
  expect not free_return_refundable(accepted_last_day)
  expect not free_delivery_available(accepted_last_day)
  expect buyer_bears_cost_of_return(accepted_last_day)
  expect risk_of_loss_passes_to(accepted_last_day) == RiskTaker.free_return_warehouse
  expect article_10_circumstance(Circumstance.sold_after_seller_suspended)
  expect not article_10_circumstance(Circumstance.natural_disaster)
  expect not free_delivery_available(suspended_seller)
  expect free_return_refund(suspended_seller) == US$0
}

# Worked out by hand (F42). Art. 3: "If the Participating Product returned by
#  the buyer does not meet the standards of intactness, Free Return Warehouse
#  will ship such Participating Product back to the buyer, with the cost of
#  shipment to be borne by the buyer"; Art. 5.1: "there are no traces of usage
#  on the appearance", "show no signs of damage". The Berlin order confirmed
#  2021-03-09 (Free Return window 2021-03-09 .. 2021-03-24): the US$20 item
#  returned worn is shipped back at the buyer's cost on the first and last day
#  of the window; outside it the return is not a Free Return at all (no
#  warehouse). A worn item was never eligible (the Program's "Items that are
#  worn ..."), so no refund and no Free Delivery (Art. 2): the buyer pays both
#  legs (Art. 7, Art. 3). Returned intact, it is refunded (US$20), not shipped
#  back; returned damaged, shipped back.
test "a worn or damaged returned item is shipped back at the buyer's cost"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3") {
  given o = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$20, category: Category.general, free_return_label: true },
      Item { price: US$10, category: Category.general, free_return_label: true },
    ],
    shipping_fee: US$0,
    cash_paid: US$30,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    delivered_at: 2021-03-08,
    receipt_confirmed_at: 2021-03-09,
    tracking: Tracking.normal,
  }
  given worn_before = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-08,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: true,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given worn_first_day = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-09,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: true,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given worn_last_day = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-24,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: true,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given worn_after = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-25,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: true,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given unworn = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given damaged = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.germany, postal_code: "10115", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2021-03-20,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: true,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  expect not shipped_back_at_buyer_cost(worn_before)
  expect shipped_back_at_buyer_cost(worn_first_day)
  expect not free_return_eligible(worn_first_day)
  expect free_return_refund(worn_first_day) == US$0
  expect not free_delivery_available(worn_first_day)
  expect buyer_bears_cost_of_return(worn_first_day)
  expect shipped_back_at_buyer_cost(worn_last_day)
  expect not shipped_back_at_buyer_cost(worn_after)
  expect not shipped_back_at_buyer_cost(unworn)
  expect free_return_refund(unworn) == US$20
  expect shipped_back_at_buyer_cost(damaged)
  expect free_return_refund(damaged) == US$0
}

# "if the Free Return Warehouse does not receive the returned Participating
#  Product within 7 days after buyer submitted shipment tracking number"
test "warehouse has 7 days after the tracking number"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: true }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given waiting = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.poland, postal_code: "00-001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-18,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: false,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
    tracking_submitted_on: 2020-05-20,
  }
  given received = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.poland, postal_code: "00-001", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-18,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: false,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
    tracking_submitted_on: 2020-05-20,
    warehouse_received_on: 2020-05-27,
  }
  expect not liability_by_arbitration(waiting, 2020-05-27)
  expect liability_by_arbitration(waiting, 2020-05-28)
  expect not liability_by_arbitration(received, 2020-06-10)
}

# Articles 3 and 4: the risk passes to the delivery provider with the Free
# Delivery Service, to the warehouse otherwise.
test "risk of loss of the returned parcel"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 4") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: true }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given label = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.australia, postal_code: "2000", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-18,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: true,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  given own = ReturnRequest {
    order: o,
    ship_to: Address { country: Country.australia, postal_code: "2000", region: Region.other },
    parcel: Parcel { longest_side: 40 cm, dimension_sum: 90 cm, weight: 2 kg },
    requested_on: 2020-05-18,
    lines: [ReturnLine {
      item: Item { price: US$20, category: Category.general, free_return_label: true },
      used: false,
      damaged: false,
      tags_or_seals_removed: false,
      incomplete: false,
      package_incomplete: false,
      special_package_devalued: false,
      special_requirement_prominent: false,
    }],
    entitlement_confirmed: false,
    labels_this_month: 0,
    free_delivery_used_on_order: false,
    uses_free_delivery: false,
    gift_deduction: US$0,
    invoice_lost: false,
    tax_rate: 0%,
    partial_return_breaks_free_shipping: false,
    seller_shipping_cost: US$0,
    return_shipping_cost: US$0,
    abuse: false,
  }
  expect risk_of_loss_passes_to(label) == RiskTaker.delivery_provider
  expect risk_of_loss_passes_to(own) == RiskTaker.free_return_warehouse
  expect free_return_rules_effective == 2019-08-20
}
