# The properties auditors care about (issue 5, item 8), proved by `check` up to
# the list bounds of the records (orders: 4 items; returns: 3 lines; checkouts:
# 4 coupons).
#
# Where the text itself makes a property false the property stays, `check`
# reports the counterexample, and docs/findings.md records it with the quoted
# clauses. Expected result today: every property holds except
# `not_arrived_has_dispute_day` (finding F3).

module properties
import types, disputes, protection, cancellation, free_return, guarantees, coupons

# ------------------------------------------------------------ refunds <= cash paid
# "If a buyer is entitled to a refund, the refund amount will not exceed the
#  buyer's cash payment (e.g. ... the refund for such order will not exceed US
#  $10)" -- on every path a refund can take, together with the refunds already
# made on the order.

property refund_within_cash_paid_protection
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8"):
  forall c: Claim. (c.order.refunded_before ?? US$0) + refund(c) <= c.order.cash_paid

property refund_within_cash_paid_free_return
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8"):
  forall r: ReturnRequest.
    (r.order.refunded_before ?? US$0) + free_return_refund(r) <= r.order.cash_paid

property refund_within_cash_paid_cancellation
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8"):
  forall q: CancelRequest, now: DateTime.
    (q.order.refunded_before ?? US$0) + cancellation_refund(q, now) <= q.order.cash_paid

property refund_within_cash_paid_late_shipment
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8"):
  forall o: Order, ship_by: Date, today: Date.
    (o.refunded_before ?? US$0) + late_shipment_refund(o, ship_by, today) <= o.cash_paid

property refund_within_cash_paid_guarantees
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8"):
  forall g: CounterfeitClaim, s: StorageClaim.
    (g.order.refunded_before ?? US$0) + genuine_refund(g) <= g.order.cash_paid
    and (s.order.refunded_before ?? US$0) + compensation_300_refund(s) <= s.order.cash_paid

# With coupons and coins: what is refunded is bounded by what the checkout
# charged in cash, which is never more than the undiscounted total.
property refund_within_cash_paid_coupons
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8"):
  forall ck: Checkout, requested: Money.
    refund_limit(cash_payable(ck), requested) <= cash_payable(ck)
    and cash_payable(ck) <= ck.goods + ck.shipping_fee + ck.service_fee

# ------------------------------------------------------------ refunds >= 0
# Every path at once: deleting any `max($0, ...)` clamp of the suite (free
# return deductions, coupon stages) makes this fail.
property refund_never_negative
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 6"):
  forall c: Claim,
      r: ReturnRequest,
      q: CancelRequest,
      now: DateTime,
      g: CounterfeitClaim,
      s: StorageClaim,
      ck: Checkout,
      requested: Money
      where requested >= US$0.
    refund(c) >= US$0
    and free_return_refund(r) >= US$0
    and cancellation_refund(q, now) >= US$0
    and genuine_refund(g) >= US$0
    and compensation_300_refund(s) >= US$0
    and refund_limit(cash_payable(ck), requested) >= US$0

# ------------------------------------------------------------ disputes
# Every shipped order that has not arrived by its delivery deadline has at
# least one day on which a not-received dispute can be opened.
# EXPECTED TO FAIL (F3): receipt confirmed early while the parcel is in normal
# transit -- the 15 days after confirmation end before the delivery time is
# over, and "you can open dispute only after delivery time is over".
property not_arrived_has_dispute_day
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?")
  @finding("docs/findings.md", "F3"):
  forall o: Order
      where o.shipped_at is some(s)
        and o.delivery_deadline is some(dl)
        and o.delivered_at ?? dl + 1 days > dl.
    exists d: Date. can_open_dispute(o, Problem.not_received, d)

# ------------------------------------------------------------ free return
# Eligibility for a Free Return implies the 15-day window after receipt.
property free_return_within_15_days
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3"):
  forall r: ReturnRequest where free_return_eligible(r).
    r.order.receipt_confirmed_at is some(c)
    and r.requested_on >= c
    and r.requested_on <= c + 15 days

# A return the Free Return Service applies to, with no Article 9 or 10
# circumstance, ends one way or the other (Art. 3): "verified by the Free
# Return Warehouse to meet the standards of intactness ..., buyer may receive
# the refund" / "If the Participating Product returned by the buyer does not
# meet the standards of intactness, Free Return Warehouse will ship such
# Participating Product back to the buyer" -- refunded, or shipped back, never
# both and never neither (a worn item used to be neither, F42).
property free_return_refunded_or_shipped_back
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Rules about “Free Return”, Article 3"):
  forall r: ReturnRequest where free_return_applies(r) and r.circumstance is none.
    free_return_refundable(r) != shipped_back_at_buyer_cost(r)

# ------------------------------------------------------------ coupons
# No coupon plan makes the cash paid negative (clause 7: unused value lapses).
property coupon_cash_never_negative
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7"):
  forall ck: Checkout. cash_payable(ck) >= US$0

# At most one AliExpress Coupon, Store Code or Store Coupon per order.
property one_aliexpress_coupon_store_code_or_store_coupon
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10e"):
  forall ck: Checkout where plan_valid(ck).
    count(
      c in ck.coupons
      where c.kind in [CouponKind.aliexpress_coupon, CouponKind.store_code, CouponKind.store_coupon]
    )
    <= 1

# ------------------------------------------------------------ guarantees
# "this guarantees 3 times the compensation for 1 fake storage device": with no
# coupon on the order and no earlier refund, money back plus the coupon is
# three times the claimed device's amount (its price plus shipping, F32; on an
# order of one device, the order amount, F18).
property three_hundred_percent_is_three_times
  @cite("aliexpress-buyer-help-center.txt", "300% Guarantee"):
  forall s: StorageClaim
      where compensation_300_due(s)
        and s.order.cash_paid == order_amount(s.order)
        and s.order.refunded_before is none.
    compensation_300_refund(s) + compensation_300_coupon(s) == compensation_300_amount(s) * 3
    and (size(s.order.items) == 1 implies compensation_300_amount(s) == order_amount(s.order))

# The solver's counterexample to `not_arrived_has_dispute_day` (`smallprint
# prove specs/aliexpress`): paid, shipped and receipt confirmed on 2020-01-01,
# deadline 2020-01-16, normal tracking, never delivered. The window is
# 2020-01-11 .. 2020-01-16 and every one of its days is still "in delivery
# time". Replayed below with the same shape dated 1970-01-01 (deadline
# 1970-01-16, window 1970-01-11 .. 1970-01-16), the dates the solver gave before.
test "the counterexample to not_arrived_has_dispute_day"
  @cite("aliexpress-buyer-help-center.txt", "When can I open dispute?") {
  given o = Order {
    paid_at: 1970-01-01,
    payment: PaymentMethod.other,
    shipping_fee: US$0,
    cash_paid: US$0,
    shipped_at: 1970-01-01,
    delivery_deadline: 1970-01-16,
    receipt_confirmed_at: 1970-01-01,
    tracking: Tracking.normal,
  }
  expect dispute_opens(o) == some(1970-01-11)
  expect dispute_closes(o) == some(1970-01-16)
  expect not can_open_dispute(o, Problem.not_received, 1970-01-11)
  expect not can_open_dispute(o, Problem.not_received, 1970-01-16)
  expect not can_open_dispute(o, Problem.not_received, 1970-01-17)
  # other problems can be raised in that window
  expect can_open_dispute(o, Problem.not_as_described, 1970-01-11)
}

# A not-received claim after a receipt confirmation (F40): "If you haven't
# received your order ... you can apply for a refund by opening a dispute in 15
# days after confirming receipt." When the parcel is not delivered within those
# 15 days, its tracking is not in normal transit (a normal-tracking parcel
# waits for the deadline, F3) and none of the exclusions that do not depend on
# the day applies, some day of the window is one on which the claim is
# protected.
property not_received_after_confirmation_has_protected_day
  @cite("aliexpress-buyer-help-center.txt", "How do I confirm delivery once I have received my order?"):
  forall c: Claim
      where c.problem == Problem.not_received
        and c.order.receipt_confirmed_at is some(rc)
        and not delivered_by(c.order, rc + protection_after_receipt)
        and c.order.tracking != Tracking.normal
        and not c.card_fraud
        and not c.outside_platform
        and not bpp_exception(c).
    exists d: Date.
      protected(Claim {
        order: c.order,
        item: c.item,
        problem: c.problem,
        filed_on: d,
        card_fraud: c.card_fraud,
        outside_platform: c.outside_platform,
        seller_proves_as_described: c.seller_proves_as_described,
        extra_returns: c.extra_returns,
        domestic_returns: c.domestic_returns,
        unused_in_original_packaging: c.unused_in_original_packaging,
        keeps_item: c.keeps_item,
        agreed_partial_refund: c.agreed_partial_refund,
        damaged_by_buyer: c.damaged_by_buyer,
        only_package_opened_to_check: c.only_package_opened_to_check,
        devalued_by_use: c.devalued_by_use,
        devalued_by_time_unsellable: c.devalued_by_time_unsellable,
        copiable_package_opened: c.copiable_package_opened,
      })

# ------------------------------------------------------------ one outcome per dispute
# "If the seller agrees with your request of Refund Only or if he/she doesn't
#  reply within 5 days, dispute will be closed automatically ... If the seller
#  doesn't agree with your request, you can ... wait for us to automatically
#  escalate your dispute after 5 days." A dispute closed with a refund is not
# also escalated, and a buyer refunded that way is not asked to send the goods
# back (F44).
property closed_disputes_are_not_escalated
  @cite("aliexpress-buyer-help-center.txt", "What's the dispute process after I have opened a dispute?"):
  forall d: DisputeCase, now: DateTime.
    not (closed_with_automatic_refund(d, now) and escalated_automatically(d, now))

property closed_disputes_ask_for_no_return
  @cite("aliexpress-buyer-help-center.txt", "What's the dispute process after I have opened a dispute?"):
  forall d: DisputeCase, now: DateTime.
    closed_with_automatic_refund(d, now) implies return_tracking_due(d) is none
