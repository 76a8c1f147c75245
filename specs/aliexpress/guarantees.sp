# Seller and platform guarantees: Guaranteed Genuine, the 300% Guarantee for
# storage devices, and the One-year commercial warranty.
#
# Sources: aliexpress-buyer-protection-2017.txt ("Guaranteed Genuine") and
# aliexpress-buyer-help-center.txt ("300% Guarantee", "Commercial Warranty Service").

module guarantees
import types, disputes

# ============================================================ Guaranteed Genuine

record CounterfeitClaim {
  order: Order
  item: Item
  guaranteed_genuine: Bool  # the product falls under the guarantee
  found_counterfeit: Bool
  invariant item_of_the_order: item in order.items
}

# "If a product that falls under this guarantee is found to be counterfeit, you
#  will get a full refund (shipping costs included)." -- never above the cash
#  paid (Coupons Terms 8).
def genuine_refund(c: CounterfeitClaim) -> Money
  @cite("aliexpress-buyer-protection-2017.txt", "Guaranteed Genuine")
  when c.guaranteed_genuine and c.found_counterfeit
    => min(c.item.price + c.order.shipping_fee, refundable_cash(c.order))
  otherwise => US$0

# ============================================================ 300% Guarantee

enum Proof @cite("aliexpress-buyer-help-center.txt", "300% Guarantee") {
  certificate_of_inauthenticity,  # "issued by the brand owner or a competent judicial or enforcement authority"
  full_test_video,  # "the full test video that meet the requirement of the proof guide"
}

record StorageClaim {
  order: Order
  item: Item
  labelled_300: Bool  # the product shows the "300% Guarantee" label
  capacity_below_advertised: Bool
  filed_on: Date
  aliexpress_merchant: Bool
  form_complies: Bool  # with the laws and AliExpress's rules
  proof: Proof?
  returns_item: Bool
  # "IV. Special instructions"
  brand_owner: Bool  # or suspected to be
  asked_for_counterfeit: Bool  # or cut legal corners to claim
  business_purpose: Bool
  suspected_replaced: Bool
  hard_to_judge: Bool
  invariant item_of_the_order: item in order.items
}

# "if you receive a storage device with a memory capacity that is below what was
#  advertised, you may file a compensation claim with valid proof within buyer
#  protection time to receive your money back, along with a coupon worth twice
#  the order amount." Only the first phase (storage devices) is defined; "the
#  second phase ... will cover more categories" names none.
rule compensation_300_due(s: StorageClaim)
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee")
  when s.labelled_300
    and s.item.category == Category.storage_device
    and s.capacity_below_advertised
    and s.aliexpress_merchant
    and can_open_dispute(s.order, Problem.capacity_not_as_described, s.filed_on)
    and s.form_complies
    and s.proof is some(p)
  # "II. 1, The merchant involved in the claim is a Aliexpress merchant."
  # "2, The claim is filed within buyer protection term." / "8 Q: ... Open
  #  dispute and choose the reason "capacity not as described""
  # "3, The form of the claim complies with relevant laws and regulations"
  # "4, You are able to provide valid proof of inauthenticity"
  unless s.brand_owner @cite("aliexpress-buyer-help-center.txt", "300% Guarantee, IV.1")
  unless s.asked_for_counterfeit @cite("aliexpress-buyer-help-center.txt", "300% Guarantee, IV.2")
  unless s.business_purpose @cite("aliexpress-buyer-help-center.txt", "300% Guarantee, IV.3")
  unless s.suspected_replaced @cite("aliexpress-buyer-help-center.txt", "300% Guarantee, IV.4")
  unless s.hard_to_judge @cite("aliexpress-buyer-help-center.txt", "300% Guarantee, IV.5")

# "this guarantees 3 times the compensation for 1 fake storage device ...
#  receive your money back, along with a coupon worth twice the order amount."
# The compensation is for the one fake device claimed, not for the rest of the
# order. Reading (F32): what the device cost is its price plus the order's
# shipping fee (the text's case is an order of one device, whose "order
# amount" is items plus shipping, F18; Guaranteed Genuine's "full refund
# (shipping costs included)" counts shipping the same way, `genuine_refund`).
def compensation_300_amount(s: StorageClaim) -> Money
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee")
  = s.item.price + s.order.shipping_fee

# "receive your money back" -- what the claimed device cost, within the cash
# left on the order (Coupons Terms 8).
def compensation_300_refund(s: StorageClaim) -> Money
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee")
  when compensation_300_due(s) => min(compensation_300_amount(s), refundable_cash(s.order))
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8")
  otherwise => US$0

# "along with a coupon worth twice the order amount" (an "Aliexpress coupon",
# FAQ 5). Reading (F18, F32): twice the claimed device's amount (its price plus
# shipping) before coupons; on an order of one device that is the order amount.
def compensation_300_coupon(s: StorageClaim) -> Money
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee")
  when compensation_300_due(s) => compensation_300_amount(s) * 2
  otherwise => US$0

# "6 Q: Who will pay for the return shipping fee if I choose to return the
#  product? A: It is free of charge for you to return the parcel."
rule return_free_of_charge_300(s: StorageClaim)
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee, FAQ 6")
  when compensation_300_due(s) and s.returns_item

# "Normally, it takes 3-20 business days"
const coupon_compensation_business_days_max: Int = 20
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee, FAQ 4")

# ============================================================ One-year warranty

enum WarrantyProvider @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service") {
  wisetech,  # Russia, Ukraine: bought by the buyer
  allianz,  # France, Germany, Poland, Belgium, Italy, Netherlands: free
}

record WarrantyOrder {
  order: Order
  country: Country
  device: Category
  bought_warranty: Bool  # Russia and Ukraine: "you can choose to buy"
  completed_on: Date?  # the day the order with the warranty was completed
}

# "Our local Commercial Warranty Service is no longer available to purchase
#  since Sep. 1st, 2021." Reading (F19): it applies to the free (Allianz)
# warranty too, the whole service being withdrawn.
const warranty_withdrawn_on: Date = 2021-09-01
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service")

rule warranty_provided(w: WarrantyOrder)
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service")
  # "If you are from Russia or Ukraine, when you place an order for a phone or
  #  tablet, you can choose to buy the One-year repair warranty service"
  when w.device in [Category.phone, Category.tablet]
    and w.country in [Country.russia, Country.ukraine]
    and w.bought_warranty
  # "If you are from France, Germany, Poland, Belgium, Italy and Netherlands,
  #  when you complete an order for a phone or tablet, you will receive the
  #  One-year warranty service, which is offered by the seller without charge"
  when w.device in [Category.phone, Category.tablet]
    and w.country in [
      Country.france,
      Country.germany,
      Country.poland,
      Country.belgium,
      Country.italy,
      Country.netherlands,
    ]
  unless w.order.paid_at >= warranty_withdrawn_on
    @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service")

# "offered by the seller and Wisetech Service" (Russia, Ukraine) / "administered
#  by Allianz Global Assistance" (France, Germany, Poland, Belgium, Italy and
#  Netherlands); "only available for buyers from certain countries": no
#  provider anywhere else.
def warranty_provider(c: Country) -> WarrantyProvider?
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service")
  when c in [Country.russia, Country.ukraine] => some(WarrantyProvider.wisetech)
  when c in [
      Country.france,
      Country.germany,
      Country.poland,
      Country.belgium,
      Country.italy,
      Country.netherlands,
    ]
    => some(WarrantyProvider.allianz)
  otherwise => none

# "you may apply for the commercial warranty service within one year after the
#  waiting period, which is 15 days after your order with the One-year warranty
#  service is completed." Reading (F20): the waiting period is the 15 days after
#  completion (c+1 .. c+15); the year is 365 days ("the 12-month term"), so one
#  may apply from c+16 to c+15+365. Only an order "with the One-year warranty
#  service" has a waiting period (`warranty_provided`).
const warranty_waiting_period: Days = 15 days
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service")

const warranty_term: Days = 365 days
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service")

rule in_warranty_waiting_period(w: WarrantyOrder, today: Date)
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service")
  when warranty_provided(w)
    and w.completed_on is some(c)
    and today > c
    and today <= c + warranty_waiting_period

rule can_apply_warranty(w: WarrantyOrder, today: Date)
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service")
  when warranty_provided(w)
    and w.completed_on is some(c)
    and today > c + warranty_waiting_period
    and today <= c + warranty_waiting_period + warranty_term

enum Fault @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service") {
  internal_fault,  # "electronic and mechanical device breakdowns (internal faults)"
  man_made_damage,
  improper_operation,
}

# "The One-year warranty service covers electronic and mechanical device
#  breakdowns (internal faults) that occurred during normal use in the 12-month
#  term ... Man-made damage and malfunction caused by improper operation are not
#  covered."
rule warranty_covers(f: Fault, normal_use: Bool)
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service")
  when f == Fault.internal_fault and normal_use

# ============================================================ tests

test "Guaranteed Genuine: full refund with shipping, within the cash paid"
  @cite("aliexpress-buyer-protection-2017.txt", "Guaranteed Genuine") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$30, category: Category.general, free_return_label: false },
      Item { price: US$10, category: Category.general, free_return_label: false },
    ],
    shipping_fee: US$5,
    cash_paid: US$45,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given with_coupon = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$30, category: Category.general, free_return_label: false }],
    shipping_fee: US$5,
    cash_paid: US$25,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  # "a full refund (shipping costs included)": US$30 + US$5
  expect genuine_refund(CounterfeitClaim {
    order: o,
    item: Item { price: US$30, category: Category.general, free_return_label: false },
    guaranteed_genuine: true,
    found_counterfeit: true,
  })
    == US$35
  expect genuine_refund(CounterfeitClaim {
    order: with_coupon,
    item: Item { price: US$30, category: Category.general, free_return_label: false },
    guaranteed_genuine: true,
    found_counterfeit: true,
  })
    == US$25
  expect genuine_refund(CounterfeitClaim {
    order: o,
    item: Item { price: US$30, category: Category.general, free_return_label: false },
    guaranteed_genuine: false,
    found_counterfeit: true,
  })
    == US$0
}

# "this guarantees 3 times the compensation for 1 fake storage device ...
#  receive your money back, along with a coupon worth twice the order amount."
# A US$20 memory card, US$2 shipping, paid US$22; shipped 2020-05-02, receipt
# confirmed 2020-05-12, so the protection time ends 2020-05-27.
test "300% Guarantee: money back plus a coupon of twice the order amount"
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.storage_device, free_return_label: false }],
    shipping_fee: US$2,
    cash_paid: US$22,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given s = StorageClaim {
    order: o,
    item: Item { price: US$20, category: Category.storage_device, free_return_label: false },
    labelled_300: true,
    capacity_below_advertised: true,
    filed_on: 2020-05-27,
    aliexpress_merchant: true,
    form_complies: true,
    proof: Proof.full_test_video,
    returns_item: true,
    brand_owner: false,
    asked_for_counterfeit: false,
    business_purpose: false,
    suspected_replaced: false,
    hard_to_judge: false,
  }
  given late = StorageClaim {
    order: o,
    item: Item { price: US$20, category: Category.storage_device, free_return_label: false },
    labelled_300: true,
    capacity_below_advertised: true,
    filed_on: 2020-05-28,
    aliexpress_merchant: true,
    form_complies: true,
    proof: Proof.full_test_video,
    returns_item: true,
    brand_owner: false,
    asked_for_counterfeit: false,
    business_purpose: false,
    suspected_replaced: false,
    hard_to_judge: false,
  }
  expect compensation_300_due(s)
  # one device: its price plus shipping is the order amount, US$22 (F18, F32)
  expect compensation_300_refund(s) == US$22
  expect compensation_300_coupon(s) == US$44
  expect compensation_300_refund(s) + compensation_300_coupon(s) == order_amount(o) * 3
  expect return_free_of_charge_300(s)
  expect not compensation_300_due(late)
  expect compensation_300_coupon(late) == US$0
}

# "this guarantees 3 times the compensation for 1 fake storage device": on an
# order of a US$30 memory card and a US$20 general item, US$2 shipping, paid
# US$52, the claim is about the card. Reading F32: the card's amount is its
# price plus the shipping, US$32 (as Guaranteed Genuine's "full refund
# (shipping costs included)" on the same order: US$30 + US$2). Money back
# US$32, a coupon of 2 x US$32 = US$64: 3 x US$32 = US$96, not 3 x the whole
# order's US$52. With a US$10 coupon on the order (paid US$42) the money back
# is still US$32 (within the US$42 left, Terms 8); after an earlier US$15
# refund on the other item (US$27 left) it is US$27, the coupon still US$64.
test "300% Guarantee: the claimed device, not the whole order"
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee") {
  given o = Order {
    paid_at: 2021-03-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$30, category: Category.storage_device, free_return_label: false },
      Item { price: US$20, category: Category.general, free_return_label: false },
    ],
    shipping_fee: US$2,
    cash_paid: US$52,
    shipped_at: 2021-03-03,
    delivery_deadline: 2021-04-10,
    delivered_at: 2021-03-25,
    receipt_confirmed_at: 2021-03-26,
    tracking: Tracking.normal,
  }
  given refunded = Order {
    paid_at: 2021-03-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$30, category: Category.storage_device, free_return_label: false },
      Item { price: US$20, category: Category.general, free_return_label: false },
    ],
    shipping_fee: US$2,
    cash_paid: US$42,
    shipped_at: 2021-03-03,
    delivery_deadline: 2021-04-10,
    delivered_at: 2021-03-25,
    receipt_confirmed_at: 2021-03-26,
    tracking: Tracking.normal,
    refunded_before: US$15,
  }
  given s = StorageClaim {
    order: o,
    item: Item { price: US$30, category: Category.storage_device, free_return_label: false },
    labelled_300: true,
    capacity_below_advertised: true,
    filed_on: 2021-04-01,
    aliexpress_merchant: true,
    form_complies: true,
    proof: Proof.full_test_video,
    returns_item: false,
    brand_owner: false,
    asked_for_counterfeit: false,
    business_purpose: false,
    suspected_replaced: false,
    hard_to_judge: false,
  }
  given r = StorageClaim {
    order: refunded,
    item: Item { price: US$30, category: Category.storage_device, free_return_label: false },
    labelled_300: true,
    capacity_below_advertised: true,
    filed_on: 2021-04-01,
    aliexpress_merchant: true,
    form_complies: true,
    proof: Proof.full_test_video,
    returns_item: false,
    brand_owner: false,
    asked_for_counterfeit: false,
    business_purpose: false,
    suspected_replaced: false,
    hard_to_judge: false,
  }
  expect compensation_300_due(s)
  expect compensation_300_refund(s) == US$32
  expect compensation_300_coupon(s) == US$64
  expect compensation_300_refund(s) + compensation_300_coupon(s) == US$96
  # Guaranteed Genuine on the same order and item: US$30 + US$2 shipping
  expect genuine_refund(CounterfeitClaim {
    order: o,
    item: Item { price: US$30, category: Category.storage_device, free_return_label: false },
    guaranteed_genuine: true,
    found_counterfeit: true,
  })
    == US$32
  expect compensation_300_refund(r) == US$27
  expect compensation_300_coupon(r) == US$64
}

# "4, You are able to provide valid proof" / "IV. ... Aliexpress has the right
#  not to compensate the buyer ... 1, You are the brand owner ... 3, You placed
#  the order for a purpose within his/her trade, business or profession."
test "300% Guarantee: proof needed; the special instructions exclude"
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.storage_device, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given no_proof = StorageClaim {
    order: o,
    item: Item { price: US$20, category: Category.storage_device, free_return_label: false },
    labelled_300: true,
    capacity_below_advertised: true,
    filed_on: 2020-05-20,
    aliexpress_merchant: true,
    form_complies: true,
    returns_item: false,
    brand_owner: false,
    asked_for_counterfeit: false,
    business_purpose: false,
    suspected_replaced: false,
    hard_to_judge: false,
  }
  given owner = StorageClaim {
    order: o,
    item: Item { price: US$20, category: Category.storage_device, free_return_label: false },
    labelled_300: true,
    capacity_below_advertised: true,
    filed_on: 2020-05-20,
    aliexpress_merchant: true,
    form_complies: true,
    proof: Proof.certificate_of_inauthenticity,
    returns_item: false,
    brand_owner: true,
    asked_for_counterfeit: false,
    business_purpose: false,
    suspected_replaced: false,
    hard_to_judge: false,
  }
  given trader = StorageClaim {
    order: o,
    item: Item { price: US$20, category: Category.storage_device, free_return_label: false },
    labelled_300: true,
    capacity_below_advertised: true,
    filed_on: 2020-05-20,
    aliexpress_merchant: true,
    form_complies: true,
    proof: Proof.certificate_of_inauthenticity,
    returns_item: false,
    brand_owner: false,
    asked_for_counterfeit: false,
    business_purpose: true,
    suspected_replaced: false,
    hard_to_judge: false,
  }
  given unlabelled = StorageClaim {
    order: o,
    item: Item { price: US$20, category: Category.storage_device, free_return_label: false },
    labelled_300: false,
    capacity_below_advertised: true,
    filed_on: 2020-05-20,
    aliexpress_merchant: true,
    form_complies: true,
    proof: Proof.certificate_of_inauthenticity,
    returns_item: false,
    brand_owner: false,
    asked_for_counterfeit: false,
    business_purpose: false,
    suspected_replaced: false,
    hard_to_judge: false,
  }
  expect not compensation_300_due(no_proof)
  expect not compensation_300_due(owner)
  expect not compensation_300_due(trader)
  expect not compensation_300_due(unlabelled)
  expect compensation_300_refund(owner) == US$0
}

# "If you are from Russia or Ukraine ... you can choose to buy the One-year
#  repair warranty service" / "no longer available to purchase since Sep. 1st, 2021"
test "One-year warranty: who gets it, and not after 2021-09-01"
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service") {
  given before = Order {
    paid_at: 2021-08-31,
    payment: PaymentMethod.card,
    items: [Item { price: US$200, category: Category.phone, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$200,
    tracking: Tracking.normal,
  }
  given after = Order {
    paid_at: 2021-09-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$200, category: Category.phone, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$200,
    tracking: Tracking.normal,
  }
  expect warranty_provided(WarrantyOrder {
    order: before,
    country: Country.russia,
    device: Category.phone,
    bought_warranty: true,
  })
  expect not warranty_provided(WarrantyOrder {
    order: before,
    country: Country.russia,
    device: Category.phone,
    bought_warranty: false,
  })
  expect not warranty_provided(WarrantyOrder {
    order: after,
    country: Country.russia,
    device: Category.phone,
    bought_warranty: true,
  })
  expect warranty_provided(WarrantyOrder {
    order: before,
    country: Country.belgium,
    device: Category.tablet,
    bought_warranty: false,
  })
  expect not warranty_provided(WarrantyOrder {
    order: before,
    country: Country.spain,
    device: Category.phone,
    bought_warranty: true,
  })
  expect not warranty_provided(WarrantyOrder {
    order: before,
    country: Country.france,
    device: Category.storage_device,
    bought_warranty: false,
  })
  # "Wisetech Service" for Russia and Ukraine; "Allianz Global Assistance" for
  # France, Germany, Poland, Belgium, Italy and Netherlands; "only available for
  # buyers from certain countries": none for Spain or the United Kingdom.
  expect warranty_provider(Country.ukraine) == some(WarrantyProvider.wisetech)
  expect warranty_provider(Country.italy) == some(WarrantyProvider.allianz)
  expect warranty_provider(Country.netherlands) == some(WarrantyProvider.allianz)
  expect warranty_provider(Country.spain) == none
  expect warranty_provider(Country.united_kingdom) == none
  expect warranty_provider(Country.other_eu) == none
}

# "within one year after the waiting period, which is 15 days after your order
#  with the One-year warranty service is completed." Completed 2021-03-01: the
#  waiting period is 2021-03-02 .. 2021-03-16 (F20: the 15 days after the
#  completion day, F2's count); applications from 2021-03-17 to 2022-03-16.
#  A UK order has no warranty ("only available for buyers from certain
#  countries"), so no waiting period either.
test "One-year warranty: after the 15-day waiting period, for one year"
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service") {
  given o = Order {
    paid_at: 2021-02-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$200, category: Category.phone, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$200,
    tracking: Tracking.normal,
  }
  given w = WarrantyOrder {
    order: o,
    country: Country.germany,
    device: Category.phone,
    bought_warranty: false,
    completed_on: 2021-03-01,
  }
  given uk = WarrantyOrder {
    order: o,
    country: Country.united_kingdom,
    device: Category.general,
    bought_warranty: false,
    completed_on: 2021-03-01,
  }
  expect not in_warranty_waiting_period(w, 2021-03-01)
  expect in_warranty_waiting_period(w, 2021-03-02)
  expect in_warranty_waiting_period(w, 2021-03-16)
  expect not can_apply_warranty(w, 2021-03-16)
  expect can_apply_warranty(w, 2021-03-17)
  expect not in_warranty_waiting_period(w, 2021-03-17)
  expect can_apply_warranty(w, 2022-03-16)
  expect not can_apply_warranty(w, 2022-03-17)
  expect not in_warranty_waiting_period(uk, 2021-03-02)
  expect not can_apply_warranty(uk, 2021-03-17)
}

# "Man-made damage and malfunction caused by improper operation are not covered."
test "One-year warranty: internal faults in normal use only"
  @cite("aliexpress-buyer-help-center.txt", "Commercial Warranty Service") {
  expect warranty_covers(Fault.internal_fault, true)
  expect not warranty_covers(Fault.internal_fault, false)
  expect not warranty_covers(Fault.man_made_damage, true)
  expect not warranty_covers(Fault.improper_operation, true)
}
