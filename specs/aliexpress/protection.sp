# Buyer Protection: what it covers, what it excludes, and the refund it pays.
#
# Sources: aliexpress-buyer-protection-2017.txt (the guarantees and the five
# cases not covered) and aliexpress-buyer-protection-program.txt (the Buyer
# Protection Program and its exceptions for certain types of items).
# Reading (docs/findings.md F10): the Program's exceptions narrow the 2017
# guarantees for every kind of claim, as written ("the Buyer Protection Program
# does not apply to certain types of items").

module protection
import types, disputes

record Claim {
  order: Order
  item: Item  # the item the claim is about
  problem: Problem
  filed_on: Date  # the day the dispute is opened
  # the five cases not covered (2017)
  card_fraud: Bool
  outside_platform: Bool
  seller_proves_as_described: Bool
  # seller guarantees
  extra_returns: Bool
  domestic_returns: Bool
  unused_in_original_packaging: Bool
  # the resolution chosen for a not-as-described item
  keeps_item: Bool  # B: keep the item with a partial refund
  agreed_partial_refund: Money
  # the state of the item (Buyer Protection Program exceptions)
  damaged_by_buyer: Bool
  only_package_opened_to_check: Bool
  devalued_by_use: Bool
  devalued_by_time_unsellable: Bool
  copiable_package_opened: Bool
  invariant item_of_the_order: item in order.items
  invariant partial_not_negative: agreed_partial_refund >= US$0
}

# "You will get a full refund if your order does not arrive within the
#  delivery time promised by the seller."
# Reading (docs/findings.md F39): on `today` the delivery time (to the deadline
# d) is over, and the carrier's records do not show the order delivered by d
# (never delivered, or delivered after d). Whether it had arrived by the day
# the claim is filed is the exclusion in `covered` ("Claims that an item was
# not delivered when the shipping company's records show that it was").
rule not_arrived_in_time(o: Order, today: Date)
  @cite("aliexpress-buyer-protection-2017.txt", "What guarantees can I get?")
  when o.delivery_deadline is some(d) and today > d and not delivered_by(o, d)

# "If your item is significantly different from the seller's product
#  description" / "Your order doesn't match the item descriptions or photos or
#  arrived damaged /shortage"
rule item_problem(p: Problem)
  @cite("aliexpress-buyer-protection-2017.txt", "What guarantees can I get?")
  # "capacity not as described" (300% Guarantee, FAQ 7) is a not-as-described claim
  when p in [Problem.not_as_described, Problem.quality_issue, Problem.capacity_not_as_described]
  when p in [Problem.damaged, Problem.shortage]
    @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?")

# "you have destroyed or damaged the items (e.g. items without package, price
#  tags, satefy seals and/or labels), except for the damages to the package for
#  checking the contents of the items"
rule damaged_by_buyer(c: Claim)
  @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?")
  when c.damaged_by_buyer
  unless c.only_package_opened_to_check

# "There are some exceptions where the Buyer Protection Program does not apply
#  to certain types of items:"
rule bpp_exception(c: Claim)
  @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?")
  # "personalised items and custom-made items"
  when c.item.category == Category.personalised
  # "fragile or perishables items (e.g. food, dairy & eggs and flowers)"
  when c.item.category in [Category.fragile, Category.perishable_food, Category.flowers_plants]
  # "items which are not suitable for return for reasons of hygiene or health
  #  protection (e.g. underwear, lotion, toothpaste)"
  when c.item.category in [Category.underwear, Category.hygiene_product]
  when damaged_by_buyer(c)
  # "the value of the items has substantially decreased due to your use or
  #  partial consumption (e.g. used items)"
  when c.devalued_by_use
  # "the value of the items has substantially decreased due to passage of time
  #  and those items could not be resold"
  when c.devalued_by_time_unsellable
  # "you have damaged the package of copiable items (e.g. unwrapped CDs, DVDs
  #  and computer software)"
  when c.item.category == Category.copiable_media and c.copiable_package_opened

rule covered(c: Claim)
  @cite("aliexpress-buyer-protection-2017.txt", "What guarantees can I get?")
  when c.problem == Problem.not_received and not_arrived_in_time(c.order, c.filed_on)
    @cite("aliexpress-buyer-protection-2017.txt", "1. Full Refund - if you don’t receive your order")
  # HC: "If you haven't received your order or if you're not satisfied with
  #  it, you can apply for a refund by opening a dispute in 15 days after
  #  confirming receipt." Reading (docs/findings.md F40): once receipt is
  #  confirmed (by the buyer, or automatically by the system), a not-received
  #  claim filed from that day on is covered without waiting for the delivery
  #  deadline -- else a buyer who confirmed early could apply but never be
  #  refunded. The 15 days are the dispute window (`dispute_closes`), which
  #  `protected` checks; a parcel the records show delivered by the filing day
  #  is excluded below.
  when c.problem == Problem.not_received
    and c.order.receipt_confirmed_at is some(rc)
    and c.filed_on >= rc
    @cite("aliexpress-buyer-help-center.txt", "How do I confirm delivery once I have received my order?")
  when item_problem(c.problem)
    @cite("aliexpress-buyer-protection-2017.txt", "2. Full or Partial Refund - if the item is not as described")
  # the fifth case not covered, and its "However"
  when c.problem == Problem.no_longer_wanted
    @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection")
  unless c.card_fraud
    @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection")
  unless c.outside_platform
    @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection")
  # "Claims that an item was not delivered when the shipping company's records
  #  show that it was" -- shown delivered on or before the day the claim is
  #  filed (F39): a parcel delivered after the filing day had not been
  #  delivered when the buyer claimed it had not.
  unless c.problem == Problem.not_received and delivered_by(c.order, c.filed_on)
    @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection")
  # "Claims that an item is not as described when the seller can prove that it is."
  unless c.problem in [
    Problem.not_as_described,
    Problem.quality_issue,
    Problem.capacity_not_as_described,
  ]
    and c.seller_proves_as_described
    @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection")
  # "Items that were delivered and are as described but the buyer no longer
  #  wants. However, if the seller offered the "Extra Returns" guarantee, you will
  #  still be protected."
  unless c.problem == Problem.no_longer_wanted
    @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection")
    except c.extra_returns
      @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection")
    # "Products which fall under this return policy can be returned
    #  domestically, as long as they are unused and in the original packaging.
    #  No questions asked!"
    except c.domestic_returns and c.unused_in_original_packaging
      @cite("aliexpress-buyer-protection-2017.txt", "Domestic Returns")
  unless bpp_exception(c)
    @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?")

# "Open Dispute to Make a Refund" / "Please be advised to open a dispute before
#  the deadline, or the order will be completed with your payment being
#  released to the supplier."
rule protected(c: Claim)
  @cite("aliexpress-buyer-protection-2017.txt", "How does Buyer Protection work?")
  when covered(c) and can_open_dispute(c.order, c.problem, c.filed_on)

# Refunds never exceed the cash paid: "the refund amount will not exceed the
# buyer's cash payment" (Coupons Terms 8) -- what is left of it after earlier
# refunds on the order (`refundable_cash`).
def refund(c: Claim) -> Money
  @cite("aliexpress-buyer-protection-2017.txt", "What guarantees can I get?")
  when not protected(c) => US$0
  when c.problem == Problem.not_received => refundable_cash(c.order)
    @cite("aliexpress-buyer-protection-2017.txt", "1. Full Refund - if you don’t receive your order")
  # "B: Get a partial refund and keep the item." Reading (F11): a partial
  # refund is at most the item's price.
  when c.keeps_item and item_problem(c.problem)
    => min(c.agreed_partial_refund, c.item.price, refundable_cash(c.order))
    @cite("aliexpress-buyer-protection-2017.txt", "2. Full or Partial Refund - if the item is not as described")
  # "A: Return it and get a full refund"
  otherwise => min(c.item.price, refundable_cash(c.order))
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8")

# "If the return is made due to change of mind, you shall pay for related
#  return shipping fee"
rule buyer_pays_return_shipping(c: Claim)
  @cite("aliexpress-buyer-protection-program.txt", "File a Return/ Refund Request")
  when c.problem == Problem.no_longer_wanted

# ============================================================ tests

# An order of one US$15 item paid US$10 in cash after a US$5 coupon, shipped
# 2020-05-02, delivery deadline 2020-05-24, never delivered, claim on 2020-05-30.
# "You will get a full refund if your order does not arrive within the delivery
#  time promised by the seller." + Coupons Terms 8: "if a US $5 coupon was used
#  on a US $15 order, the refund for such order will not exceed US $10".
test "not received: full refund of the cash paid"
  @cite("aliexpress-buyer-protection-2017.txt", "1. Full Refund - if you don’t receive your order") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$15, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$10,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    tracking: Tracking.normal,
  }
  given c = Claim {
    order: o,
    item: Item { price: US$15, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2020-05-30,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect covered(c)
  expect protected(c)
  expect refund(c) == US$10
}

# Before the deadline the order has not failed to arrive "within the delivery
# time"; after the window closes (2020-06-08) the dispute can no longer be opened.
test "not received: only after the deadline and before the window closes"
  @cite("aliexpress-buyer-protection-2017.txt", "1. Full Refund - if you don’t receive your order") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$15, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$15,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    tracking: Tracking.normal,
  }
  given early = Claim {
    order: o,
    item: Item { price: US$15, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2020-05-24,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given late = Claim {
    order: o,
    item: Item { price: US$15, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2020-06-09,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect not covered(early)
  expect refund(early) == US$0
  expect covered(late)
  expect not protected(late)
  expect refund(late) == US$0
}

# "Claims that an item was not delivered when the shipping company's records
#  show that it was" / "Fraudulent charges to a credit card" / "Orders or
#  payments made outside of our website"
test "not covered: carrier shows delivered, card fraud, outside the website"
  @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection") {
  given delivered = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$15, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$15,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-26,
    tracking: Tracking.normal,
  }
  given lost = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$15, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$15,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    tracking: Tracking.no_information,
  }
  given c1 = Claim {
    order: delivered,
    item: Item { price: US$15, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2020-05-30,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given c2 = Claim {
    order: lost,
    item: Item { price: US$15, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2020-05-30,
    card_fraud: true,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given c3 = Claim {
    order: lost,
    item: Item { price: US$15, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2020-05-30,
    card_fraud: false,
    outside_platform: true,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given ok = Claim {
    order: lost,
    item: Item { price: US$15, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2020-05-30,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect not covered(c1)
  expect not covered(c2)
  expect not covered(c3)
  expect covered(ok)
  expect refund(ok) == US$15
}

# Worked out by hand (F39). "You will get a full refund if your order does not
#  arrive within the delivery time promised by the seller." / not covered:
#  "Claims that an item was not delivered when the shipping company's records
#  show that it was". A US$20 order, deadline 2021-03-31, delivered 2021-04-05
#  (late): a claim is covered once the delivery time is over (2021-04-01) and
#  until the records show the parcel delivered (2021-04-04 is the last such
#  day). Filed 2021-03-31 the delivery time is not over; filed 2021-04-05 the
#  records show it delivered. Delivered 2021-04-01, after the deadline, a claim
#  filed 2021-04-02 is excluded by the records. Delivered 2021-03-25, in time:
#  the order arrived within the delivery time.
test "not received: judged on the day the claim is filed"
  @cite("aliexpress-buyer-protection-2017.txt", "1. Full Refund - if you don’t receive your order") {
  given late = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    delivered_at: 2021-04-05,
    tracking: Tracking.normal,
  }
  given just_late = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    delivered_at: 2021-04-01,
    tracking: Tracking.normal,
  }
  given in_time = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    delivered_at: 2021-03-25,
    tracking: Tracking.normal,
  }
  given on_deadline = Claim {
    order: late,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-31,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given first_day = Claim {
    order: late,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-04-01,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given last_day = Claim {
    order: late,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-04-04,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given delivery_day = Claim {
    order: late,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-04-05,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given after_delivery = Claim {
    order: just_late,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-04-02,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given arrived = Claim {
    order: in_time,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-04-02,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect not not_arrived_in_time(late, 2021-03-31)
  expect not_arrived_in_time(late, 2021-04-01)
  expect not covered(on_deadline)
  expect refund(on_deadline) == US$0
  expect covered(first_day)
  expect protected(first_day)
  expect refund(first_day) == US$20
  expect covered(last_day)
  expect protected(last_day)
  expect refund(last_day) == US$20
  expect not covered(delivery_day)
  expect refund(delivery_day) == US$0
  expect not_arrived_in_time(just_late, 2021-04-02)
  expect not covered(after_delivery)
  expect not not_arrived_in_time(in_time, 2021-04-02)
  expect not covered(arrived)
}

# Worked out by hand (F40). HC, How do I confirm delivery: "If you haven't
#  received your order ..., you can apply for a refund by opening a dispute in
#  15 days after confirming receipt." A US$20 order shipped 2021-03-01
#  (disputes open on 2021-03-11, F1), deadline 2021-03-31, no tracking
#  information, never delivered.
#  Receipt confirmed 2021-03-05: the window ends 2021-03-20 (F3); a claim is
#  covered from the confirmation on, protected from 2021-03-11 to 2021-03-20,
#  refunded in full (US$20, "1. Full Refund").
#  Confirmed 2021-03-15: covered from 2021-03-15, not on 2021-03-14 (neither
#  confirmed nor past the deadline).
#  Confirmed 2021-03-05, the records show it delivered 2021-03-12: covered on
#  2021-03-11, excluded from 2021-03-12 ("Claims that an item was not
#  delivered when the shipping company's records show that it was").
#  Normal tracking, confirmed 2021-03-05: covered, but the dispute waits for
#  the end of the delivery time, after the window closed (F3).
test "not received after an early receipt confirmation"
  @cite("aliexpress-buyer-help-center.txt", "How do I confirm delivery once I have received my order?") {
  given early = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    receipt_confirmed_at: 2021-03-05,
    tracking: Tracking.no_information,
  }
  given mid = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    receipt_confirmed_at: 2021-03-15,
    tracking: Tracking.no_information,
  }
  given shown_delivered = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    delivered_at: 2021-03-12,
    receipt_confirmed_at: 2021-03-05,
    tracking: Tracking.no_information,
  }
  given in_transit = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    receipt_confirmed_at: 2021-03-05,
    tracking: Tracking.normal,
  }
  given before_window = Claim {
    order: early,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-10,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given first_day = Claim {
    order: early,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-11,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given last_day = Claim {
    order: early,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given too_late = Claim {
    order: early,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-21,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given before_confirming = Claim {
    order: mid,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-14,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given on_confirming = Claim {
    order: mid,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-15,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given before_delivery = Claim {
    order: shown_delivered,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-11,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given on_delivery = Claim {
    order: shown_delivered,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-12,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given normal_tracking = Claim {
    order: in_transit,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2021-03-15,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect dispute_closes(early) == some(2021-03-20)
  expect covered(before_window)
  expect not protected(before_window)
  expect refund(before_window) == US$0
  expect protected(first_day)
  expect refund(first_day) == US$20
  expect protected(last_day)
  expect refund(last_day) == US$20
  expect not protected(too_late)
  expect refund(too_late) == US$0
  expect not covered(before_confirming)
  expect refund(before_confirming) == US$0
  expect covered(on_confirming)
  expect protected(on_confirming)
  expect refund(on_confirming) == US$20
  expect covered(before_delivery)
  expect protected(before_delivery)
  expect not covered(on_delivery)
  expect refund(on_delivery) == US$0
  expect covered(normal_tracking)
  expect not protected(normal_tracking)
}

# Worked out by hand (F43). BP17 names counterfeits only under a seller's
#  additional guarantee: "Guaranteed Genuine: If a product that falls under
#  this guarantee is found to be counterfeit, you will get a full refund
#  (shipping costs included)" (guarantees.genuine_refund); Buyer Protection
#  itself covers an item "significantly different from the seller's product
#  description". A US$20 order shipped 2021-03-01 (disputes from 2021-03-11,
#  F1), received, confirmed 2021-03-09 (the window ends 2021-03-24, F3): a
#  `counterfeit` claim is covered on no day; the same item claimed as not as
#  described (a description that promised the genuine article) is protected
#  from 2021-03-11 to 2021-03-24 and refunded US$20, not on 2021-03-10 or
#  2021-03-25.
test "finding: a counterfeit is covered as not as described, or by Guaranteed Genuine"
  @cite("aliexpress-buyer-protection-2017.txt", "Guaranteed Genuine") {
  given o = Order {
    paid_at: 2021-02-27,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2021-03-01,
    delivery_deadline: 2021-03-31,
    delivered_at: 2021-03-08,
    receipt_confirmed_at: 2021-03-09,
    tracking: Tracking.normal,
  }
  given fake_first_day = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.counterfeit,
    filed_on: 2021-03-11,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given fake_last_day = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.counterfeit,
    filed_on: 2021-03-24,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given nad_before = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2021-03-10,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given nad_first_day = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2021-03-11,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given nad_last_day = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2021-03-24,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given nad_after = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2021-03-25,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect not covered(fake_first_day)
  expect refund(fake_first_day) == US$0
  expect not covered(fake_last_day)
  expect refund(fake_last_day) == US$0
  expect not protected(nad_before)
  expect protected(nad_first_day)
  expect refund(nad_first_day) == US$20
  expect protected(nad_last_day)
  expect refund(nad_last_day) == US$20
  expect not protected(nad_after)
  expect refund(nad_after) == US$0
}

# A US$20 + US$5 order (cash US$25), delivered 2020-05-10, receipt confirmed
# 2020-05-12; the US$20 item is not as described; claim on 2020-05-20.
# "A: Return it and get a full refund, or B: Get a partial refund and keep the item."
test "not as described: full refund on return, partial refund if kept"
  @cite("aliexpress-buyer-protection-2017.txt", "2. Full or Partial Refund - if the item is not as described") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$20, category: Category.general, free_return_label: false },
      Item { price: US$5, category: Category.general, free_return_label: false },
    ],
    shipping_fee: US$0,
    cash_paid: US$25,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given returned = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given kept = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: true,
    agreed_partial_refund: US$7.50,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given greedy = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: true,
    agreed_partial_refund: US$24,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given proven = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: true,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect refund(returned) == US$20
  expect refund(kept) == US$7.50
  expect refund(greedy) == US$20
  # "Claims that an item is not as described when the seller can prove that it is."
  expect not covered(proven)
  expect refund(proven) == US$0
}

# "Items that were delivered and are as described but the buyer no longer
#  wants. However, if the seller offered the "Extra Returns" guarantee, you will
#  still be protected." / Domestic Returns: "as long as they are unused and in
#  the original packaging"
test "buyer's remorse: only with Extra Returns or Domestic Returns"
  @cite("aliexpress-buyer-protection-2017.txt", "The following cases are not covered by Buyer Protection") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given plain = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.no_longer_wanted,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: true,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given extra = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.no_longer_wanted,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: true,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given domestic = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.no_longer_wanted,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: true,
    unused_in_original_packaging: true,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given domestic_used = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.no_longer_wanted,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: true,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect not covered(plain)
  expect covered(extra)
  expect refund(extra) == US$20
  expect buyer_pays_return_shipping(extra)
  expect covered(domestic)
  expect not covered(domestic_used)
}

# Buyer Protection Program exceptions, on a received US$20 item that is not as
# described, claim on 2020-05-20.
test "Program exceptions: personalised, perishable, hygiene, copiable media"
  @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$20, category: Category.personalised, free_return_label: false },
      Item { price: US$20, category: Category.perishable_food, free_return_label: false },
      Item { price: US$20, category: Category.underwear, free_return_label: false },
      Item { price: US$20, category: Category.copiable_media, free_return_label: false },
    ],
    shipping_fee: US$0,
    cash_paid: US$80,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given custom = Claim {
    order: o,
    item: Item { price: US$20, category: Category.personalised, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given food = Claim {
    order: o,
    item: Item { price: US$20, category: Category.perishable_food, free_return_label: false },
    problem: Problem.damaged,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given pants = Claim {
    order: o,
    item: Item { price: US$20, category: Category.underwear, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given dvd_sealed = Claim {
    order: o,
    item: Item { price: US$20, category: Category.copiable_media, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given dvd_unwrapped = Claim {
    order: o,
    item: Item { price: US$20, category: Category.copiable_media, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: true,
  }
  expect bpp_exception(custom)
  expect not covered(custom)
  expect not covered(food)
  expect not covered(pants)
  expect covered(dvd_sealed)
  expect not covered(dvd_unwrapped)
}

# "you have destroyed or damaged the items ..., except for the damages to the
#  package for checking the contents of the items" / "used items" / "passage of
#  time and those items could not be resold"
test "Program exceptions: damage by the buyer, use, time"
  @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$20, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given broke_it = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: true,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given opened_to_check = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: true,
    only_package_opened_to_check: true,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given used = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: true,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given stale = Claim {
    order: o,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: true,
    copiable_package_opened: false,
  }
  expect not covered(broke_it)
  expect covered(opened_to_check)
  expect refund(opened_to_check) == US$20
  expect not covered(used)
  expect not covered(stale)
}

# Reading F10: the Program's item-type exceptions also apply when the item never
# arrives, although the 2017 page promises "a full refund if your order does
# not arrive". Recorded as a finding.
test "finding: a personalised item that never arrives is not protected"
  @cite("aliexpress-buyer-protection-program.txt", "What’s eligible for Buyer Protection Program?") {
  given o = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$30, category: Category.personalised, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$30,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    tracking: Tracking.no_information,
  }
  given c = Claim {
    order: o,
    item: Item { price: US$30, category: Category.personalised, free_return_label: false },
    problem: Problem.not_received,
    filed_on: 2020-05-30,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect not_arrived_in_time(o, 2020-05-30)
  expect not covered(c)
  expect refund(c) == US$0
}

# Coupons Terms 8 caps "the refund for such order": an order of a US$20 and a
# US$10 item paid US$20 in cash after a US$10 coupon. Returning the US$20 item
# refunds US$20 (the text does not spread the coupon over the items, F29); a
# later claim on the US$10 item finds nothing left to refund.
test "refunds on one order together stay within the cash paid"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8") {
  given first = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$20, category: Category.general, free_return_label: false },
      Item { price: US$10, category: Category.general, free_return_label: false },
    ],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
  }
  given later = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [
      Item { price: US$20, category: Category.general, free_return_label: false },
      Item { price: US$10, category: Category.general, free_return_label: false },
    ],
    shipping_fee: US$0,
    cash_paid: US$20,
    shipped_at: 2020-05-02,
    delivery_deadline: 2020-05-24,
    delivered_at: 2020-05-10,
    receipt_confirmed_at: 2020-05-12,
    tracking: Tracking.normal,
    refunded_before: US$20,
  }
  given big = Claim {
    order: first,
    item: Item { price: US$20, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-20,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  given small = Claim {
    order: later,
    item: Item { price: US$10, category: Category.general, free_return_label: false },
    problem: Problem.not_as_described,
    filed_on: 2020-05-21,
    card_fraud: false,
    outside_platform: false,
    seller_proves_as_described: false,
    extra_returns: false,
    domestic_returns: false,
    unused_in_original_packaging: false,
    keeps_item: false,
    agreed_partial_refund: US$0,
    damaged_by_buyer: false,
    only_package_opened_to_check: false,
    devalued_by_use: false,
    devalued_by_time_unsellable: false,
    copiable_package_opened: false,
  }
  expect refund(big) == US$20
  expect refundable_cash(later) == US$0
  expect covered(small)
  expect refund(small) == US$0
}
