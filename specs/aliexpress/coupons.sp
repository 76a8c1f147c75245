# AliExpress Coupons Terms & Conditions (updated as of March 12, 2020),
# clauses 1-23: the kinds of coupon, use once, validity, no splitting and
# lapsing value, refunds within the cash paid, the per-kind stacking limits,
# the redemption order, and minimum spends checked on the running subtotal.
#
# Source: the "AliExpress Coupons Terms & Conditions" section of
# aliexpress-buyer-help-center.txt. The optimiser (plans) builds on these rules.
#
# Model: a Checkout is one order; its coupons are the ones the buyer applies.
# `plan_valid` says whether the Terms allow that combination; `cash_payable`
# is what the buyer pays in cash.

module coupons
import types

# "Updated as of March 12, 2020"
const coupon_terms_updated: Date = 2020-03-12
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions")

# "In the event of inconsistency, ambiguity or conflict between the English and
#  the non-English version of these Terms, the English version shall prevail."
const coupon_terms_prevailing_language: Text = "English"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 23")

# ============================================================ kinds

# "1. ... including, without limitation: a) AliExpress Coupon(s); b) AliExpress
#  promo code(s) ...; c) AliExpress Select Coupon(s); d) Store Coupon(s); e)
#  Store Code(s); f) Invitation Code(s); g) Instant Discount(s); h) Instant
#  Off(s); and i) Coin(s)"
enum CouponKind
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1") {
  aliexpress_coupon
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1a"),
  promo_code @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1b"),
  select_coupon
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1c"),
  store_coupon
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1d"),
  store_code @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1e"),
  invitation_code
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1f"),
  instant_discount
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1g"),
  instant_off
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1h"),
  coins @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1i"),
}

# Who provides an offer (matters for Instant Offs, clause 19 b and g).
enum Issuer @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19") {
  aliexpress,
  partner,
  seller,
}

record Coupon {
  kind: CouponKind
  issuer: Issuer
  value: Money  # nominal value (for Coins: the deduction they buy)
  percent_off: Percent?  # a discount stated as a percentage instead of a value
  min_spend: Money?  # "minimum purchase requirement"
  min_items: Int?  # Instant Discounts: minimum number of participating products
  valid_from: Date
  valid_until: Date
  used_before: Bool  # this buyer has already used this coupon (clause 5)
  combinable: Bool  # the Coupon Specific Terms allow combining (clauses 2, 10b)
  invariant value_not_negative: value >= US$0
  invariant percent_range: if percent_off is some(p) then p >= 0% and p <= 100% else true
  invariant spend_not_negative: if min_spend is some(m) then m >= US$0 else true
  invariant validity_ordered: valid_from <= valid_until
  # Store Coupons "issued by Seller(s)" (13a), Store Codes "issued by a
  # Seller(s)" (14a), Instant Discounts "provided by Seller(s)" (16a).
  invariant seller_kinds_issued_by_sellers:
    if kind in [CouponKind.store_coupon, CouponKind.store_code, CouponKind.instant_discount]
      then issuer == Issuer.seller
    else true
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 13a")
}

record Checkout {
  goods: Money  # the eligible purchases of the order
  shipping_fee: Money  # delivery services (clause 5c: not an eligible purchase)
  service_fee: Money  # warranty and other value added services (clause 5c)
  item_count: Int  # participating products ordered (clause 16a)
  has_virtual_product: Bool  # clause 10d
  today: Date
  select_allowance: Money  # Select Coupon value the store allows on this order (clause 12a)
  coupons: List[Coupon, 4]
  invariant amounts_not_negative:
    goods >= US$0 and shipping_fee >= US$0 and service_fee >= US$0 and select_allowance >= US$0
  invariant items_not_negative: item_count >= 0
}

# ============================================================ redemption order

# "19. The redemptions of different offers ... will be processed in the
#  following order:"
enum Stage @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19") {
  instant_discount
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19a"),
  seller_instant_off
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19b"),
  store_coupon
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19c"),
  coins @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19d"),
  select_coupon
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19e"),
  aliexpress_coupon_or_code
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19f"),
  platform_instant_off
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19g"),
  # Invitation Codes are exchanged for AliExpress Coupons (clause 15), not
  # redeemed on an order.
  not_redeemed
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 15a"),
}

def stage_of(c: Coupon) -> Stage
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = match c.kind {
      CouponKind.instant_discount => Stage.instant_discount,
      CouponKind.instant_off => if c.issuer == Issuer.seller then Stage.seller_instant_off
        else Stage.platform_instant_off,
      CouponKind.store_coupon => Stage.store_coupon,
      CouponKind.coins => Stage.coins,
      CouponKind.select_coupon => Stage.select_coupon,
      CouponKind.aliexpress_coupon
        | CouponKind.store_code
        | CouponKind.promo_code => Stage.aliexpress_coupon_or_code,
      CouponKind.invitation_code => Stage.not_redeemed,
    }

# A coupon's face value on the subtotal it is applied to. Reading (F24): a
# percentage discount is rounded down to the cent (the Terms state no rounding).
def face_value(c: Coupon, base: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a")
  = if c.percent_off is some(p) then round_down(base * p) else c.value

def stage_total(ck: Checkout, s: Stage, base: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = sum(face_value(c, base) for c in ck.coupons where stage_of(c) == s)

# "7. All Coupons must be used as a whole, and the value of the Coupon (if any)
#  may not be split. As such, if the value ... is not fully utilized (e.g. if
#  the value of the order ... is lower than the value of the Coupon), the
#  difference will not be refunded or credited back ... and such unused or
#  unutilized value will lapse" -- a stage never takes the subtotal below zero.
def after_stage(ck: Checkout, s: Stage, base: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7")
  = max(US$0, base - stage_total(ck, s, base))

def after_instant_discount(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19a")
  = after_stage(ck, Stage.instant_discount, ck.goods)

def after_seller_instant_off(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19b")
  = after_stage(ck, Stage.seller_instant_off, after_instant_discount(ck))

def after_store_coupon(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19c")
  = after_stage(ck, Stage.store_coupon, after_seller_instant_off(ck))

def after_coins(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19d")
  = after_stage(ck, Stage.coins, after_store_coupon(ck))

def after_select_coupon(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19e")
  = after_stage(ck, Stage.select_coupon, after_coins(ck))

def after_aliexpress_coupon_or_code(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19f")
  = after_stage(ck, Stage.aliexpress_coupon_or_code, after_select_coupon(ck))

def after_platform_instant_off(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19g")
  = after_stage(ck, Stage.platform_instant_off, after_aliexpress_coupon_or_code(ck))

# The running subtotal a stage starts from.
def subtotal_before(ck: Checkout, s: Stage) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = match s {
      Stage.instant_discount => ck.goods,
      Stage.seller_instant_off => after_instant_discount(ck),
      Stage.store_coupon => after_seller_instant_off(ck),
      Stage.coins => after_store_coupon(ck),
      Stage.select_coupon => after_coins(ck),
      Stage.aliexpress_coupon_or_code => after_select_coupon(ck),
      Stage.platform_instant_off => after_aliexpress_coupon_or_code(ck),
      Stage.not_redeemed => ck.goods,
    }

# "Eligible purchases generally do not include: ... c) value added services ...
#  including, without limitation, delivery services and warranty services."
def cash_payable(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5c")
  = after_platform_instant_off(ck) + ck.shipping_fee + ck.service_fee

def discount_applied(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = ck.goods - after_platform_instant_off(ck)

# The face value that found nothing left to discount (clause 7: it lapses).
def lapsed_value(ck: Checkout) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7")
  = stage_total(ck, Stage.instant_discount, subtotal_before(ck, Stage.instant_discount))
    + stage_total(ck, Stage.seller_instant_off, subtotal_before(ck, Stage.seller_instant_off))
    + stage_total(ck, Stage.store_coupon, subtotal_before(ck, Stage.store_coupon))
    + stage_total(ck, Stage.coins, subtotal_before(ck, Stage.coins))
    + stage_total(ck, Stage.select_coupon, subtotal_before(ck, Stage.select_coupon))
    + stage_total(
      ck,
      Stage.aliexpress_coupon_or_code,
      subtotal_before(ck, Stage.aliexpress_coupon_or_code),
    )
    + stage_total(ck, Stage.platform_instant_off, subtotal_before(ck, Stage.platform_instant_off))
    - discount_applied(ck)

# ============================================================ each coupon

# Minimum spends are checked on the running subtotal before the coupon's stage:
# "if after using any other Coupons, rebates, discounts offered by AliExpress
#  the transaction amount of the order to be paid by the Buyer is lower than
#  minimum purchase requirement ..., then the Buyer will not be entitled to use
#  the AliExpress Promo Code." (11b)
rule min_spend_missed(c: Coupon, ck: Checkout)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11b")
  # "a Buyer can use Select Coupons ... when he/she makes a purchase of products
  #  US$99 or more" -- reaching the minimum is enough.
  when c.kind == CouponKind.select_coupon
    and c.min_spend is some(m)
    and subtotal_before(ck, stage_of(c)) < m
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  # "the amount of an AliExpress order must exceed the minimum purchase
  #  requirement" (10c, 11b); other kinds follow "only valid for orders over
  #  US $100" (F25).
  when c.kind != CouponKind.select_coupon
    and c.min_spend is some(m)
    and subtotal_before(ck, stage_of(c)) <= m
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10c")
  # "if the number of participating product(s) ordered has meet the minimum
  #  purchase requirement"
  when c.kind == CouponKind.instant_discount and c.min_items is some(n) and ck.item_count < n
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a")

rule coupon_usable(c: Coupon, ck: Checkout)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 6")
  # "Coupons must be used within the validity period"
  when ck.today >= c.valid_from and ck.today <= c.valid_until
  # "each Coupon may only be used once by each individual Buyer" / "each Buyer
  #  could use Instant Off only once"
  unless c.used_before
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 17c")
  # "All AliExpress Coupons may NOT be used on transaction of any virtual product
  #  ..., including, without limitation, ... commercial warranty service ...
  #  and/or other services." Reading (docs/findings-checkout.md C8): a value
  #  added service bought with the order (5c) counts; delivery does not.
  unless c.kind == CouponKind.aliexpress_coupon
    and (ck.has_virtual_product or ck.service_fee > US$0)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d")
  # an Invitation Code is redeemed "for a number of AliExpress Coupons"
  unless c.kind == CouponKind.invitation_code
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 15a")
  unless min_spend_missed(c, ck)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 3")

# ============================================================ stacking

def count_of(ck: Checkout, k: CouponKind) -> Int
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1")
  = count(c in ck.coupons where c.kind == k)

def one_per_order_count(ck: Checkout) -> Int
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10e")
  = count(
      c in ck.coupons
      where c.kind in [CouponKind.aliexpress_coupon, CouponKind.store_code, CouponKind.store_coupon]
    )

rule stacking_ok(ck: Checkout)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  # "AliExpress Coupons cannot be combined. Only one AliExpress Coupon can be used per order."
  unless count_of(ck, CouponKind.aliexpress_coupon) > 1
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10a")
  # "If not otherwise specified in campaign specific terms and conditions,
  #  AliExpress Coupons cannot be combined with other Coupons, promotional
  #  offers, discounts, rebates, etc."
  unless exists c in ck.coupons where c.kind == CouponKind.aliexpress_coupon and not c.combinable.
    size(ck.coupons) > 1
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10b")
  # "Only one AliExpress Coupon, Store Code or Store Coupon can be used per order."
  unless one_per_order_count(ck) > 1
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10e")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 13b")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 14b")
  # "AliExpress Promo Codes cannot be combined. Only one AliExpress Promo Code
  #  can be used per order."
  unless count_of(ck, CouponKind.promo_code) > 1
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11a")
  # "AliExpress Promo Codes cannot be combined with other Coupons, promotional
  #  offers, discounts, rebates, etc." Reading (F26): Coupon Specific Terms may
  #  override this, as clause 2 lets them override the Terms.
  unless exists c in ck.coupons where c.kind == CouponKind.promo_code and not c.combinable.
    size(ck.coupons) > 1
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11a")
  # "the Coupon Specific Terms shall take precedence" (2). Reading (F38): a
  #  coupon of any other kind whose own terms forbid combining stands alone too.
  unless exists c in ck.coupons
      where not c.combinable
        and not (c.kind in [CouponKind.aliexpress_coupon, CouponKind.promo_code]).
    size(ck.coupons) > 1
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 2")
  # "Instant Discounts cannot be combined."
  unless count_of(ck, CouponKind.instant_discount) > 1
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16b")
  # "a Buyer can use Select Coupons making up to US$10 in nominal value"
  unless sum(c.value for c in ck.coupons where c.kind == CouponKind.select_coupon)
    > ck.select_allowance
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")

rule plan_valid(ck: Checkout)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  when stacking_ok(ck) and (forall c in ck.coupons. coupon_usable(c, ck))

# ============================================================ other clauses

# "Select Coupon(s) can be used on items from different stores as long as the
#  stores have the same Minimum Spending Requirement."
rule select_coupon_stores_compatible(store_minimums: List[Money, 4])
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12b")
  when forall a in store_minimums. forall b in store_minimums. a == b

# "Invitation Code is an alphanumerical code of an active Buyer, which can be
#  redeemed by newly registered Buyer who has never placed an order ... an
#  active Buyer shall mean a Buyer who has placed at least one order"
rule can_redeem_invitation_code(redeemer_orders: Int, inviter_orders: Int)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 15a")
  when redeemer_orders == 0 and inviter_orders >= 1

# "the refund amount will not exceed the buyer's cash payment (e.g. if a US $5
#  coupon was used on a US $15 order, the refund for such order will not exceed
#  US $10). No new Coupon(s) will be issued in connection with such refund"
def refund_limit(cash_paid: Money, requested: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8")
  = min(requested, cash_paid)

# "The Coins will be refunded to the Buyer's account only if the order utilizing
#  Coins in one payment has been the successfully refunded or canceled. ... the
#  utilized Coins, either in part or in whole, will not be refunded upon the
#  partial cancellation and/or refund"
def coins_refunded(ck: Checkout, whole_order_refunded: Bool) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 18b")
  = if whole_order_refunded then sum(c.value for c in ck.coupons where c.kind == CouponKind.coins)
    else US$0

# ============================================================ tests

# Clause 19 on a US$100 order (2 products, US$3 shipping): Instant Discount 10%
# -> US$90; Store Coupon US$5 over US$85 -> US$85; Coins US$3 -> US$82; Select
# Coupon US$2 at US$82 (minimum US$80) -> US$80; plus shipping: US$83 in cash.
test "redemption order and the running subtotal"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19") {
  given ck = Checkout {
    goods: US$100,
    shipping_fee: US$3,
    service_fee: US$0,
    item_count: 2,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$2,
    coupons: [
      Coupon {
        kind: CouponKind.instant_discount,
        issuer: Issuer.seller,
        value: US$0,
        percent_off: 10%,
        min_items: 2,
        valid_from: 2020-03-01,
        valid_until: 2020-03-31,
        used_before: false,
        combinable: true,
      },
      Coupon {
        kind: CouponKind.store_coupon,
        issuer: Issuer.seller,
        value: US$5,
        min_spend: US$85,
        valid_from: 2020-03-01,
        valid_until: 2020-03-31,
        used_before: false,
        combinable: true,
      },
      Coupon {
        kind: CouponKind.coins,
        issuer: Issuer.aliexpress,
        value: US$3,
        valid_from: 2020-03-01,
        valid_until: 2020-03-31,
        used_before: false,
        combinable: true,
      },
      Coupon {
        kind: CouponKind.select_coupon,
        issuer: Issuer.aliexpress,
        value: US$2,
        min_spend: US$80,
        valid_from: 2020-03-01,
        valid_until: 2020-03-31,
        used_before: false,
        combinable: true,
      },
    ],
  }
  expect after_instant_discount(ck) == US$90
  expect subtotal_before(ck, Stage.store_coupon) == US$90
  expect after_store_coupon(ck) == US$85
  expect after_coins(ck) == US$82
  expect subtotal_before(ck, Stage.select_coupon) == US$82
  expect after_select_coupon(ck) == US$80
  expect cash_payable(ck) == US$83
  expect plan_valid(ck)
}

test "a platform Instant Off comes last, a seller's second"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19") {
  given platform = Coupon {
    kind: CouponKind.instant_off,
    issuer: Issuer.aliexpress,
    value: US$5,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given seller = Coupon {
    kind: CouponKind.instant_off,
    issuer: Issuer.seller,
    value: US$5,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  expect stage_of(platform) == Stage.platform_instant_off
  expect stage_of(seller) == Stage.seller_instant_off
  given ck = Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [
      platform,
      Coupon {
        kind: CouponKind.coins,
        issuer: Issuer.aliexpress,
        value: US$3,
        valid_from: 2020-03-01,
        valid_until: 2020-03-31,
        used_before: false,
        combinable: true,
      },
    ],
  }
  expect subtotal_before(ck, Stage.platform_instant_off) == US$47
  expect cash_payable(ck) == US$42
}

# "the amount of an AliExpress order must exceed the minimum purchase requirement"
test "AliExpress Coupon: the minimum must be exceeded"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10c") {
  given c = Coupon {
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$10,
    min_spend: US$100,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
  }
  given at = Checkout {
    goods: US$100,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [c],
  }
  given above = Checkout {
    goods: US$100.01,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [c],
  }
  expect not coupon_usable(c, at)
  expect not plan_valid(at)
  expect coupon_usable(c, above)
  expect plan_valid(above)
  expect cash_payable(above) == US$90.01
}

# 11b: "if after using any other Coupons, rebates, discounts offered by
# AliExpress the transaction amount ... is lower than minimum purchase
# requirement ... the Buyer will not be entitled to use the AliExpress Promo Code."
# A US$100 order with US$10 of Coins leaves US$90 before the promo code.
test "Promo Code: the minimum is checked after the earlier discounts"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11b") {
  given coins = Coupon {
    kind: CouponKind.coins,
    issuer: Issuer.aliexpress,
    value: US$10,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given code90 = Coupon {
    kind: CouponKind.promo_code,
    issuer: Issuer.aliexpress,
    value: US$5,
    min_spend: US$90,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given code8999 = Coupon {
    kind: CouponKind.promo_code,
    issuer: Issuer.aliexpress,
    value: US$5,
    min_spend: US$89.99,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given a = Checkout {
    goods: US$100,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [coins, code90],
  }
  given b = Checkout {
    goods: US$100,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [coins, code8999],
  }
  expect subtotal_before(a, Stage.aliexpress_coupon_or_code) == US$90
  expect not coupon_usable(code90, a)
  expect coupon_usable(code8999, b)
  expect plan_valid(b)
  expect cash_payable(b) == US$85
}

# 11a: "AliExpress Promo Codes cannot be combined with other Coupons"
test "Promo Code alone unless its specific terms allow combining"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11a") {
  given coins = Coupon {
    kind: CouponKind.coins,
    issuer: Issuer.aliexpress,
    value: US$10,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given code = Coupon {
    kind: CouponKind.promo_code,
    issuer: Issuer.aliexpress,
    value: US$5,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
  }
  expect not stacking_ok(Checkout {
    goods: US$100,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [coins, code],
  })
  expect stacking_ok(Checkout {
    goods: US$100,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [code],
  })
  expect not stacking_ok(Checkout {
    goods: US$100,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [code, code],
  })
}

# 12a: "If participating Seller(s) allow Select Coupon(s) with value of US$10 to
# be used on an order of US$99 or above, then a Buyer can use Select Coupons
# making up to US$10 in nominal value"
test "Select Coupons: US$99 or above, up to the allowed value"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a") {
  given s6 = Coupon {
    kind: CouponKind.select_coupon,
    issuer: Issuer.aliexpress,
    value: US$6,
    min_spend: US$99,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given s4 = Coupon {
    kind: CouponKind.select_coupon,
    issuer: Issuer.aliexpress,
    value: US$4,
    min_spend: US$99,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given s5 = Coupon {
    kind: CouponKind.select_coupon,
    issuer: Issuer.aliexpress,
    value: US$5,
    min_spend: US$99,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given exact = Checkout {
    goods: US$99,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$10,
    coupons: [s6, s4],
  }
  given short = Checkout {
    goods: US$98.99,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$10,
    coupons: [s6, s4],
  }
  given over_allowance = Checkout {
    goods: US$120,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$10,
    coupons: [s6, s5],
  }
  expect plan_valid(exact)
  expect cash_payable(exact) == US$89
  expect not plan_valid(short)
  expect not stacking_ok(over_allowance)
}

# 10e/13b/14b: "Only one AliExpress Coupon, Store Code or Store Coupon can be
# used per order." -- even when every coupon's own terms allow combining.
test "one of AliExpress Coupon, Store Code, Store Coupon per order"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10e") {
  given ae = Coupon {
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given sc = Coupon {
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    value: US$2,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given code = Coupon {
    kind: CouponKind.store_code,
    issuer: Issuer.seller,
    value: US$2,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given coins = Coupon {
    kind: CouponKind.coins,
    issuer: Issuer.aliexpress,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  expect not stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [ae, sc],
  })
  expect not stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [sc, code],
  })
  expect not stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [sc, sc],
  })
  expect stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [ae, coins],
  })
  expect stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [code, coins],
  })
}

# 10a "Only one AliExpress Coupon can be used per order." / 10b "cannot be
# combined with other Coupons" unless campaign terms say otherwise / 16b
# "Instant Discounts cannot be combined."
test "per-kind limits: AliExpress Coupons and Instant Discounts"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10a") {
  given ae = Coupon {
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given ae_alone = Coupon {
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
  }
  given coins = Coupon {
    kind: CouponKind.coins,
    issuer: Issuer.aliexpress,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given id = Coupon {
    kind: CouponKind.instant_discount,
    issuer: Issuer.seller,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  expect not stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [ae, ae],
  })
  expect not stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [ae_alone, coins],
  })
  expect stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [ae_alone],
  })
  expect not stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [id, id],
  })
  # "Coins can be combined." (18c)
  expect stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [coins, coins, id],
  })
  # 2: "the Coupon Specific Terms shall take precedence" (F38): a Store Coupon
  # whose own terms forbid combining stands alone; with Coins it is refused.
  expect stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [Coupon {
      kind: CouponKind.store_coupon,
      issuer: Issuer.seller,
      value: US$5,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: false,
    }],
  })
  expect not stacking_ok(Checkout {
    goods: US$50,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [
      Coupon {
        kind: CouponKind.store_coupon,
        issuer: Issuer.seller,
        value: US$5,
        valid_from: 2020-03-01,
        valid_until: 2020-03-31,
        used_before: false,
        combinable: false,
      },
      coins,
    ],
  })
}

# 10d: "All AliExpress Coupons may NOT be used on transaction of any virtual product"
test "no AliExpress Coupon on a virtual product"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d") {
  given ae = Coupon {
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
  }
  given sc = Coupon {
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
  }
  given virtual = Checkout {
    goods: US$20,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: true,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [ae],
  }
  given virtual_store = Checkout {
    goods: US$20,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: true,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [sc],
  }
  expect not coupon_usable(ae, virtual)
  expect coupon_usable(sc, virtual_store)
  # "commercial warranty service ... and/or other services" (C8): a US$4
  # warranty service shuts the AliExpress Coupon out; US$5 of delivery does not.
  expect not coupon_usable(
    ae,
    Checkout {
      goods: US$20,
      shipping_fee: US$0,
      service_fee: US$4,
      item_count: 1,
      has_virtual_product: false,
      today: 2020-03-15,
      select_allowance: US$0,
      coupons: [ae],
    },
  )
  expect coupon_usable(
    ae,
    Checkout {
      goods: US$20,
      shipping_fee: US$5,
      service_fee: US$0,
      item_count: 1,
      has_virtual_product: false,
      today: 2020-03-15,
      select_allowance: US$0,
      coupons: [ae],
    },
  )
}

# 6: "Coupons must be used within the validity period"; 5: "each Coupon may only
# be used once by each individual Buyer"
test "validity period and once per buyer"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 6") {
  given c = Coupon {
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
  }
  given used = Coupon {
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: true,
    combinable: false,
  }
  expect coupon_usable(
    c,
    Checkout {
      goods: US$20,
      shipping_fee: US$0,
      service_fee: US$0,
      item_count: 1,
      has_virtual_product: false,
      today: 2020-03-01,
      select_allowance: US$0,
      coupons: [c],
    },
  )
  expect coupon_usable(
    c,
    Checkout {
      goods: US$20,
      shipping_fee: US$0,
      service_fee: US$0,
      item_count: 1,
      has_virtual_product: false,
      today: 2020-03-31,
      select_allowance: US$0,
      coupons: [c],
    },
  )
  expect not coupon_usable(
    c,
    Checkout {
      goods: US$20,
      shipping_fee: US$0,
      service_fee: US$0,
      item_count: 1,
      has_virtual_product: false,
      today: 2020-04-01,
      select_allowance: US$0,
      coupons: [c],
    },
  )
  expect not coupon_usable(
    c,
    Checkout {
      goods: US$20,
      shipping_fee: US$0,
      service_fee: US$0,
      item_count: 1,
      has_virtual_product: false,
      today: 2020-02-29,
      select_allowance: US$0,
      coupons: [c],
    },
  )
  expect not coupon_usable(
    used,
    Checkout {
      goods: US$20,
      shipping_fee: US$0,
      service_fee: US$0,
      item_count: 1,
      has_virtual_product: false,
      today: 2020-03-15,
      select_allowance: US$0,
      coupons: [used],
    },
  )
}

# 7: "if the value of the order ... is lower than the value of the Coupon), the
# difference will not be refunded ... and such unused or unutilized value will
# lapse"; 5c: delivery services are not eligible purchases.
test "unused value lapses; shipping is paid in full"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7") {
  given ck = Checkout {
    goods: US$8,
    shipping_fee: US$3,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [Coupon {
      kind: CouponKind.aliexpress_coupon,
      issuer: Issuer.aliexpress,
      value: US$10,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: false,
    }],
  }
  expect plan_valid(ck)
  expect discount_applied(ck) == US$8
  expect lapsed_value(ck) == US$2
  expect cash_payable(ck) == US$3
}

# 8: "if a US $5 coupon was used on a US $15 order, the refund for such order
# will not exceed US $10"
test "refund never above the cash paid"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8") {
  given ck = Checkout {
    goods: US$15,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [Coupon {
      kind: CouponKind.aliexpress_coupon,
      issuer: Issuer.aliexpress,
      value: US$5,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: false,
    }],
  }
  expect cash_payable(ck) == US$10
  expect refund_limit(cash_payable(ck), US$15) == US$10
  expect refund_limit(cash_payable(ck), US$4) == US$4
}

# "the discount or deduction off the amount payable" -- 10% of US$9.99 is
# US$0.999, rounded down to US$0.99 (F24); "if the number of participating
# product(s) ordered has meet the minimum purchase requirement"
test "Instant Discount: percentage rounded down; minimum number of products"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a") {
  given id = Coupon {
    kind: CouponKind.instant_discount,
    issuer: Issuer.seller,
    value: US$0,
    percent_off: 10%,
    min_items: 2,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  given two = Checkout {
    goods: US$9.99,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 2,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [id],
  }
  given one = Checkout {
    goods: US$9.99,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 1,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [id],
  }
  expect face_value(id, US$9.99) == US$0.99
  expect cash_payable(two) == US$9
  expect plan_valid(two)
  expect not coupon_usable(id, one)
}

# 18b: Coins are refunded only when the whole order is refunded or cancelled.
test "Coins come back only with a whole-order refund"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 18b") {
  given ck = Checkout {
    goods: US$20,
    shipping_fee: US$0,
    service_fee: US$0,
    item_count: 2,
    has_virtual_product: false,
    today: 2020-03-15,
    select_allowance: US$0,
    coupons: [Coupon {
      kind: CouponKind.coins,
      issuer: Issuer.aliexpress,
      value: US$1.50,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: true,
    }],
  }
  expect coins_refunded(ck, true) == US$1.50
  expect coins_refunded(ck, false) == US$0
}

# 15a: redeemed "by newly registered Buyer who has never placed an order";
# an active Buyer "has placed at least one order".
test "Invitation Codes"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 15a") {
  expect can_redeem_invitation_code(0, 1)
  expect not can_redeem_invitation_code(0, 0)
  expect not can_redeem_invitation_code(1, 3)
  given inv = Coupon {
    kind: CouponKind.invitation_code,
    issuer: Issuer.aliexpress,
    value: US$2,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
  }
  expect not coupon_usable(
    inv,
    Checkout {
      goods: US$20,
      shipping_fee: US$0,
      service_fee: US$0,
      item_count: 1,
      has_virtual_product: false,
      today: 2020-03-15,
      select_allowance: US$0,
      coupons: [inv],
    },
  )
}

# 12b: "as long as the stores have the same Minimum Spending Requirement"
test "Select Coupons across stores"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12b") {
  expect select_coupon_stores_compatible([US$99, US$99])
  expect not select_coupon_stores_compatible([US$99, US$49])
}
