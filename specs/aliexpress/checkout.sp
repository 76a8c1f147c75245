# The multi-store checkout and the best coupon plan (AliExpress Coupons Terms &
# Conditions, clauses 1-23), clause by clause.
#
# Source: the "AliExpress Coupons Terms & Conditions" section of
# aliexpress-buyer-help-center.txt ("Terms n" below is its clause n).
#
# Model. A Cart is one checkout: a list of store orders (one per store), each
# with its lines. A Wallet holds the buyer's coupons; the plan `best_coupons`
# chooses `used` for each of them. Everything the plan reads is an ordinary
# definition below, so the same `cash_paid` serves the tests, the properties
# and the optimiser. `coupons.sp` states the same Terms for a single order;
# this module reuses its kinds (`CouponKind`, `Issuer`) and redemption order
# (`Stage`, `stage_of`: test "stages by kind follow clause 19").
#
# Readings (docs/findings.md F31, F35-F38, docs/findings-checkout.md C1-C11):
#   * "Order" is one store's order (C1): a checkout of several stores makes
#     one order per store. Store-scoped offers (Instant Discounts, seller
#     Instant Offs, Store Coupons, Coins, Store Codes) work on their store's
#     order; AliExpress Coupons, Promo Codes and platform Instant Offs discount
#     every store order of the checkout together, so they count against each.
#   * Stages follow Terms 19. Stages a-d run per store order on its eligible
#     goods; e (Select Coupons) on each group of store orders with the same
#     Minimum Spending Requirement (12b, C2); f runs Store Codes per store
#     order, then AliExpress Coupons and Promo Codes on the checkout (C6: 11b,
#     "after using any other Coupons"); g (platform Instant Offs) on the checkout.
#   * Each minimum spend is checked against the running subtotal of its scope
#     before its stage: strictly exceeded (10c, 11b, F25), except Select
#     Coupons, where reaching it is enough (12a).
#   * A stage takes at most what is left of its subtotal; the rest of the
#     coupon's value lapses (7). A percentage is of the subtotal its stage
#     starts from, rounded down to the cent (F24).
#   * Allocation (C3). A discount taken from several store orders together
#     (a Select tier's; stages f and g) is taken from them in increasing store
#     number, each giving up to what it has left: exact, never below zero, and
#     independent of the order the stores are listed in. A store order's
#     whole discount is shared among its eligible lines in proportion to their
#     amounts by the largest remainder method: each share rounded down to the
#     cent, then the missing cents one each to the lines whose shares lost the
#     largest fractions, equal fractions to the lower line number (`no`). The
#     shares add up to the discount exactly and none exceeds its line.
#   * Refunds (C4): a returned line gives back the cash paid for it (its
#     amount less its share); Coins come back only with the whole store order (18b).

module checkout
import types, coupons

# ============================================================ the cart

record CartLine {
  no: Int  # the line's place on its store order (1, 2, ...)
  amount: Money  # what the line costs before coupons (unit price times quantity)
  quantity: Int  # products on the line (Instant Discounts count them, 16a)
  # "All AliExpress Coupons may NOT be used on transaction of any virtual
  #  product ..., including, without limitation, software license, mobile
  #  top-up, commercial warranty service, spare part installation or
  #  maintenance services and/or other services."
  virtual: Bool
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d")
  # "Eligible purchases generally do not include: ... c) value added services
  #  provided by Sellers or third party suppliers ..., including, without
  #  limitation, delivery services and warranty services."
  value_added_service: Bool
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5c")
  # "a) purchases of special promotional items (e.g. those in coupon promotions)"
  special_promotion: Bool
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5a")
  invariant line_no_positive: no >= 1
  invariant amount_not_negative: amount >= US$0
  invariant quantity_positive: quantity >= 1
}

record StoreOrder {
  store: Int  # the AliExpress store number ("Store No."), as the coupons name it
  lines: List[CartLine, 5]
  # "delivery services" are not eligible purchases: never discounted
  shipping_fee: Money
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5c")
  # "AliExpress Select Coupons can be used at participating store(s) in
  #  accordance with the minimum purchase requirement laid down by the
  #  respective Seller(s) ("Minimum Spending Requirement")": none when the store
  #  does not take part.
  select_min_spend: Money?
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  # "If participating Seller(s) allow Select Coupon(s) with value of US$10 to be
  #  used on an order of US$99 or above" -- the US$10.
  select_allowance: Money
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  invariant store_number_positive: store >= 1
  invariant shipping_not_negative: shipping_fee >= US$0
  invariant allowance_not_negative: select_allowance >= US$0
  invariant select_min_spend_not_negative: select_min_spend ?? US$0 >= US$0
  invariant line_numbers_distinct: forall l in lines. count(k in lines where k.no == l.no) == 1
}

# One store order per store (a checkout groups the products by store).
def stores_distinct(ss: List[StoreOrder]) -> Bool
  = forall s in ss. count(t in ss where t.store == s.store) == 1

record Cart {
  today: Date  # the checkout date, for validity periods (6)
  stores: List[StoreOrder, 20]
  invariant stores_told_apart: stores_distinct(stores)
}

# ============================================================ the wallet

record WalletCoupon {
  id: Text
  kind: CouponKind
  issuer: Issuer
  # The store whose order a store-scoped offer discounts; none for AliExpress
  # Coupons, Promo Codes, Select Coupons and platform Instant Offs.
  store: Int?
  value: Money  # nominal value ($0 for a percentage discount)
  percent_off: Percent?  # a discount stated as a percentage of its subtotal (F24: rounded down)
  # "minimum purchase requirement" (3); for a Select Coupon, the Minimum
  # Spending Requirement of the stores it is used at (12a-b).
  min_spend: Money?
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 3")
  # Instant Discounts: "if the number of participating product(s) ordered has
  # meet the minimum purchase requirement"
  min_items: Int?
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a")
  valid_from: Date
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 6")
  valid_until: Date
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 6")
  used_before: Bool
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5")
  # The Coupon Specific Terms allow combining it with other coupons (2, 10b,
  # 11a, F26); false: it stands alone, whatever its kind (F38).
  combinable: Bool
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 2")
  used: Bool  # chosen by the plan
  invariant value_not_negative: value >= US$0
  invariant percent_or_value:
    if percent_off is some(p) then p > 0% and p <= 100% and value == US$0 else true
  invariant spend_not_negative: min_spend ?? US$0 >= US$0
  invariant items_not_negative: min_items ?? 0 >= 0
  invariant validity_ordered: valid_from <= valid_until
  # Store-scoped offers name their store; the others do not (C1).
  invariant scope_named: (store is some(x)) == store_scoped_kind(kind, issuer)
  # Store Coupons are "issued by Seller(s)" (13a), Store Codes "issued by a
  # Seller(s)" (14a), Instant Discounts "provided by Seller(s)" (16a): their
  # issuer is a seller. (Coins are "provided by AliExpress Platform or Sellers",
  # 18a, and Instant Offs by either, 19b/g: any issuer.)
  invariant seller_kinds_issued_by_sellers:
    if kind in [CouponKind.store_coupon, CouponKind.store_code, CouponKind.instant_discount]
      then issuer == Issuer.seller
    else true
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 13a")
  # "AliExpress Coupon(s)", "AliExpress promo code(s)", "AliExpress Select
  #  Coupon(s)" (1a-c): AliExpress's own, as their names say (C12).
  invariant aliexpress_kinds_issued_by_aliexpress:
    if kind in [CouponKind.aliexpress_coupon, CouponKind.promo_code, CouponKind.select_coupon]
      then issuer == Issuer.aliexpress
    else true
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 1")
  # "Coins are incentives provided by AliExpress Platform or Sellers" (18a).
  invariant coins_from_platform_or_sellers:
    if kind == CouponKind.coins then issuer != Issuer.partner else true
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 18a")
  # "Select Coupon(s) with value of US$10 to be used on an order of US$99 or
  #  above": a nominal value and a Minimum Spending Requirement.
  invariant select_has_tier:
    if kind == CouponKind.select_coupon then min_spend is some(m) and percent_off is none else true
}

record Wallet {
  coupons: List[WalletCoupon, 80]
  # Each coupon is held once ("each Coupon may only be used once by each
  # individual Buyer", 5) and its id is how a plan's report names it (each
  # unused coupon's reason, what a better plan gives up): no two share an id.
  invariant coupon_ids_distinct: forall c in coupons. count(k in coupons where k.id == c.id) == 1
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5")
}

# A returned line: the store number of its store order and the line's number on it.
record LineReturn {
  store: Int
  line: Int
}

# ============================================================ eligible purchases

# "each Coupon may only be used ... in conjunction with eligible purchases ...
#  Eligible purchases generally do not include: a) purchases of special
#  promotional items ...; c) value added services"
def line_eligible(l: CartLine) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5")
  = not l.special_promotion and not l.value_added_service

def store_goods(s: StoreOrder) -> Money = sum(l.amount for l in s.lines)

def store_eligible(s: StoreOrder) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5")
  = sum(l.amount for l in s.lines where line_eligible(l))

# "the number of participating product(s) ordered"
def store_eligible_items(s: StoreOrder) -> Int
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a")
  = sum(l.quantity for l in s.lines where line_eligible(l))

# "All AliExpress Coupons may NOT be used on transaction of any virtual product
#  on AliExpress Platform, including, without limitation, software license,
#  mobile top-up, commercial warranty service, spare part installation or
#  maintenance services and/or other services." Reading (C8): a service line
#  (`value_added_service`, 5c: "delivery services and warranty services")
#  counts as well as a `virtual` one; the store order's shipping fee does not
#  (it is the delivery of the goods, not a product bought).
def line_shuts_out_aliexpress_coupons(l: CartLine) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d")
  = l.virtual or l.value_added_service

def cart_has_virtual_product(ss: List[StoreOrder]) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d")
  = exists s in ss. exists l in s.lines. line_shuts_out_aliexpress_coupons(l)

# ============================================================ kinds, stages, scopes

# The Terms' own record of a coupon (coupons.sp), so that the redemption order
# and the rounding have one statement.
def terms_coupon(c: WalletCoupon) -> Coupon
  = Coupon {
      kind: c.kind,
      issuer: c.issuer,
      value: c.value,
      percent_off: c.percent_off,
      min_spend: c.min_spend,
      min_items: c.min_items,
      valid_from: c.valid_from,
      valid_until: c.valid_until,
      used_before: c.used_before,
      combinable: c.combinable,
    }

def coupon_stage(c: WalletCoupon) -> Stage
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = stage_of(terms_coupon(c))

def coupon_face(c: WalletCoupon, base: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7")
  = face_value(terms_coupon(c), base)

# Offers that work on one store's order: Store Coupons (13a "orders of
# participating products listed in the respective Sellers' stores"), Store
# Codes (14a "in the store of the Seller"), Instant Discounts (16a "in the
# Seller's store"), Coins (18a "participating product(s) in a Seller's
# store") and Instant Offs provided by a Seller (19b).
def store_scoped_kind(k: CouponKind, i: Issuer) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 13a")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19b")
  = k in [
      CouponKind.store_coupon,
      CouponKind.store_code,
      CouponKind.instant_discount,
      CouponKind.coins,
    ]
    or (k == CouponKind.instant_off and i == Issuer.seller)

# "the amount of an AliExpress order must exceed the minimum purchase
#  requirement" (10c, 11b; F25 for the kinds without their own wording);
#  Select Coupons: "an order of US$99 or above" (12a).
def min_spend_met(c: WalletCoupon, base: Money) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10c")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  = if c.min_spend is some(m)
      then if c.kind == CouponKind.select_coupon then base >= m else base > m
    else true

# A percentage of the subtotal it is taken from, rounded down to the cent (as
# `coupons.face_value`, F24). With 0% < p <= 100% and a subtotal of at least
# US$0 it lies between US$0 and the subtotal; the bounds are written out so
# that the prover sees them without multiplying (they never change the value).
def percent_face(base: Money, p: Percent) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a")
  = max(US$0, min(base, round_down(base * p)))

# ============================================================ stages a-d: per store order

# The used offers of one kind on one store order, each on the same subtotal:
# its value, or its percentage of the subtotal rounded down to the cent (as
# `coupons.face_value`, F24). Store-scoped offers of stage a are Instant
# Discounts, of b Instant Offs (a store-scoped Instant Off is the seller's),
# of c Store Coupons, of d Coins, of f Store Codes (test "stages by kind").
def store_stage_face(s: StoreOrder, cs: List[WalletCoupon], k: CouponKind, base: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = sum(
      if c.percent_off is some(p) then percent_face(base, p) else c.value
      for c in cs
      where c.store == some(s.store) and c.kind == k and c.used
    )

# "if the value of the order ... is lower than the value of the Coupon), the
#  difference will not be refunded ... and such unused or unutilized value will
#  lapse"
def store_after_stage(s: StoreOrder, cs: List[WalletCoupon], k: CouponKind, base: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7")
  = max(US$0, base - store_stage_face(s, cs, k, base))

def store_after_instant_discount(s: StoreOrder, cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19a")
  = store_after_stage(s, cs, CouponKind.instant_discount, store_eligible(s))

def store_after_seller_instant_off(s: StoreOrder, cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19b")
  = store_after_stage(s, cs, CouponKind.instant_off, store_after_instant_discount(s, cs))

def store_after_store_coupon(s: StoreOrder, cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19c")
  = store_after_stage(s, cs, CouponKind.store_coupon, store_after_seller_instant_off(s, cs))

# A Coins entry is used for its whole value or not at all (the plan chooses
# `used`, not an amount): 18a.ii's "use a part of maximum number of Coins
# allowed" is not encoded (C11).
def store_after_coins(s: StoreOrder, cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19d")
  = store_after_stage(s, cs, CouponKind.coins, store_after_store_coupon(s, cs))

# ============================================================ stage e: Select Coupons (12)

# "Select Coupon(s) can be used on items from different stores as long as the
#  stores have the same Minimum Spending Requirement." A Select Coupon with
#  minimum m works on the store orders whose requirement is m (their "tier").
def in_tier(s: StoreOrder, m: Money) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12b")
  = s.select_min_spend == some(m)

def select_coupon_of_tier(c: WalletCoupon, m: Money) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12b")
  = c.kind == CouponKind.select_coupon and c.min_spend == some(m)

# "when he/she makes a purchase of products US$99 or more at the participating
#  Seller(s)' store(s)": what the tier's store orders still charge after stage d.
def tier_subtotal(ss: List[StoreOrder], cs: List[WalletCoupon], m: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  = sum(store_after_coins(t, cs) for t in ss where in_tier(t, m))

def tier_face(cs: List[WalletCoupon], m: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  = sum(c.value for c in cs where select_coupon_of_tier(c, m) and c.used)

# "a Buyer can use Select Coupons making up to US$10 in nominal value": when
# the stores of a tier allow different values, the smallest (C2). So a store
# that allows less shuts out a coupon another store of the tier qualifies for
# alone (US$100 allowing US$10 and US$10 allowing US$5: a US$10 Select Coupon
# is excluded); open question C10.
def tier_allowance(ss: List[StoreOrder], m: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  = min(t.select_allowance for t in ss where in_tier(t, m) else US$0)

def tier_discount(cs: List[WalletCoupon], m: Money, subtotal: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7")
  = min(tier_face(cs, m), subtotal)

# One store order stands for its tier (the lowest number), so that each tier counts once.
def first_of_tier(s: StoreOrder, ss: List[StoreOrder]) -> Bool
  = if s.select_min_spend is some(m)
      then not (exists t in ss where in_tier(t, m). t.store < s.store)
    else false

def select_discount(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19e")
  = sum(
      tier_discount(
        cs,
        s.select_min_spend ?? US$0,
        tier_subtotal(ss, cs, s.select_min_spend ?? US$0),
      )
      for s in ss
      where first_of_tier(s, ss)
    )

# A discount taken from several store orders together (C3): from each in turn,
# in increasing store number (not their order on the checkout page), up to what
# is left of it; `before` is what the earlier store orders of the group had left.
def fill_share(amount: Money, before: Money, left: Money) -> Money
  = min(left, max(US$0, amount - before))

def tier_before(s: StoreOrder, ss: List[StoreOrder], cs: List[WalletCoupon], m: Money) -> Money
  = sum(store_after_coins(t, cs) for t in ss where in_tier(t, m) and t.store < s.store)

def select_share(s: StoreOrder, ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12b")
  = if s.select_min_spend is some(m)
      then fill_share(
        tier_discount(cs, m, tier_subtotal(ss, cs, m)),
        tier_before(s, ss, cs, m),
        store_after_coins(s, cs),
      )
    else US$0

def store_after_select(s: StoreOrder, ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19e")
  = store_after_coins(s, cs) - select_share(s, ss, cs)

# ============================================================ stage f: Store Codes, then AliExpress Coupons and Promo Codes

def store_code_used(s: StoreOrder, cs: List[WalletCoupon]) -> Bool
  = exists c in cs. c.store == some(s.store) and c.kind == CouponKind.store_code and c.used

def code_taken(s: StoreOrder, cs: List[WalletCoupon], base: Money) -> Money
  = base - store_after_stage(s, cs, CouponKind.store_code, base)

# "Store Codes are incentives ... which entitle a Buyer a deduction or a
#  discount off the amount payable for orders of participating product(s) in
#  the store of the Seller"
def store_code_discount(s: StoreOrder, ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 14a")
  = if store_code_used(s, cs) then code_taken(s, cs, store_after_select(s, ss, cs)) else US$0

def store_after_store_code(s: StoreOrder, ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19f")
  = store_after_select(s, ss, cs) - store_code_discount(s, ss, cs)

# One store order's running subtotal of eligible goods after each stage that
# works on it alone (19a-d, its share of e, its Store Code in f): what the plan
# reports per store order (the stages after it work on the whole checkout).
record StoreSubtotals {
  after_instant_discount: Money
  after_seller_instant_off: Money
  after_store_coupon: Money
  after_coins: Money
  after_select_coupon: Money
  after_store_code: Money
}

def store_subtotals(s: StoreOrder, ss: List[StoreOrder], cs: List[WalletCoupon]) -> StoreSubtotals
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = StoreSubtotals {
      after_instant_discount: store_after_instant_discount(s, cs),
      after_seller_instant_off: store_after_seller_instant_off(s, cs),
      after_store_coupon: store_after_store_coupon(s, cs),
      after_coins: store_after_coins(s, cs),
      after_select_coupon: store_after_select(s, ss, cs),
      after_store_code: store_after_store_code(s, ss, cs),
    }

# Offers on the whole checkout of the kinds `k1`, `k2`, each on the same
# subtotal (stage f: AliExpress Coupons and Promo Codes; stage g: Instant
# Offs that name no store, i.e. AliExpress's or its partners').
def platform_face(cs: List[WalletCoupon], k1: CouponKind, k2: CouponKind, base: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = sum(
      if c.percent_off is some(p) then percent_face(base, p) else c.value
      for c in cs
      where c.store is none and (c.kind == k1 or c.kind == k2) and c.used
    )

def after_platform(cs: List[WalletCoupon], k1: CouponKind, k2: CouponKind, base: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7")
  = max(US$0, base - platform_face(cs, k1, k2, base))

# ============================================================ the running subtotal of the checkout

def order_eligible(ss: List[StoreOrder]) -> Money = sum(store_eligible(s) for s in ss)

def order_after_instant_discount(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19a")
  = sum(store_after_instant_discount(s, cs) for s in ss)

def order_after_seller_instant_off(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19b")
  = sum(store_after_seller_instant_off(s, cs) for s in ss)

def order_after_store_coupon(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19c")
  = sum(store_after_store_coupon(s, cs) for s in ss)

def order_after_coins(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19d")
  = sum(store_after_coins(s, cs) for s in ss)

def order_after_select(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19e")
  = order_after_coins(ss, cs) - select_discount(ss, cs)

def order_after_store_codes(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19f")
  = sum(store_after_store_code(s, ss, cs) for s in ss)

def order_after_aliexpress_coupon(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19f")
  = after_platform(
      cs,
      CouponKind.aliexpress_coupon,
      CouponKind.promo_code,
      order_after_store_codes(ss, cs),
    )

def order_after_platform_instant_off(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19g")
  = after_platform(
      cs,
      CouponKind.instant_off,
      CouponKind.instant_off,
      order_after_aliexpress_coupon(ss, cs),
    )

# What is paid in cash: the eligible goods after every stage, plus what no
# coupon touches (special promotional items, value added services, delivery).
def cash_paid(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5")
  = order_after_platform_instant_off(ss, cs) + charges_without_coupons(ss)

def total_discount(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = order_eligible(ss) - order_after_platform_instant_off(ss, cs)

# ============================================================ what a plan may use

# "Some Coupons may be subject to certain activation or redemption
#  pre-conditions prior to use (e.g. minimum purchase requirements)"; "the
#  amount of an AliExpress order must exceed the minimum purchase requirement"
#  (10c, 11b, F25), checked "after using any other Coupons" (11b): for one
#  store order, each store-scoped offer on the running subtotal before its
#  stage (`before_a` ... `before_f`).
def store_min_spends_met(
    s: StoreOrder,
    cs: List[WalletCoupon],
    before_a: Money,
    before_b: Money,
    before_c: Money,
    before_d: Money,
    before_f: Money
) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11b")
  = forall c in cs where c.store == some(s.store) and c.used and c.min_spend is some(m).
      (
        if c.kind == CouponKind.instant_discount then before_a
        else if c.kind == CouponKind.instant_off then before_b
        else if c.kind == CouponKind.store_coupon then before_c
        else if c.kind == CouponKind.coins then before_d
        else before_f
      )
      > m

# The same for the offers on the whole checkout: stage f on `before_f`, the
# platform Instant Offs (stage g) on `before_g`. Select Coupons: see
# `select_coupons_allowed`.
def platform_min_spends_met(cs: List[WalletCoupon], before_f: Money, before_g: Money) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11b")
  = forall c in cs
        where c.store is none
          and c.kind != CouponKind.select_coupon
          and c.used
          and c.min_spend is some(m).
      (if c.kind == CouponKind.instant_off then before_g else before_f) > m

def min_spends_met(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 3")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10c")
  = (
      forall s in ss.
        store_min_spends_met(
          s,
          cs,
          store_eligible(s),
          store_after_instant_discount(s, cs),
          store_after_seller_instant_off(s, cs),
          store_after_store_coupon(s, cs),
          store_after_select(s, ss, cs),
        )
    )
    and platform_min_spends_met(
      cs,
      order_after_store_codes(ss, cs),
      order_after_aliexpress_coupon(ss, cs),
    )

# "if the number of participating product(s) ordered has meet the minimum
#  purchase requirement stated on or attached to the Instant Discount(s)"
def items_needed(s: StoreOrder, cs: List[WalletCoupon]) -> Int
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a")
  = max(
      c.min_items ?? 0
      for c in cs
      where c.store == some(s.store) and c.kind == CouponKind.instant_discount and c.used
      else 0
    )

def instant_discount_items_met(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a")
  = forall s in ss. store_eligible_items(s) >= items_needed(s, cs)

# A store-scoped offer needs its store order in the checkout ("orders of
# participating products listed in the respective Sellers' stores").
# (Store ids are distinct: every used store-scoped offer is counted at its store order.)
def used_at(s: StoreOrder, cs: List[WalletCoupon]) -> Int
  = count(c in cs where c.store == some(s.store) and c.used)

# The two sides named, so that a reason reads `store_offers_used_at_checkout_stores(ss,
# cs) == store_offers_used(cs): false (0 == 1)`: an offer of a store not in the cart.
def store_offers_used_at_checkout_stores(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Int
  = sum(used_at(s, cs) for s in ss)

def store_offers_used(cs: List[WalletCoupon]) -> Int
  = count(c in cs where c.store is some(x) and c.used)

def stores_in_cart(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 13a")
  = store_offers_used_at_checkout_stores(ss, cs) == store_offers_used(cs)

# Select Coupons of one tier: "a Buyer can use Select Coupons making up to
# US$10 in nominal value when he/she makes a purchase of products US$99 or
# more at the participating Seller(s)'store(s)".
def tier_allowed(cs: List[WalletCoupon], m: Money, subtotal: Money, allowance: Money) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  = select_used_of_tier(cs, m) == 0 or (subtotal >= m and tier_face(cs, m) <= allowance)

def select_used_of_tier(cs: List[WalletCoupon], m: Money) -> Int
  = count(c in cs where select_coupon_of_tier(c, m) and c.used)

# Both sides named, so that a reason reads `select_coupons_used_at_checkout_tiers(ss, cs)
# == select_coupons_used(cs): false (0 == 1)`: a Select Coupon of a tier no store has.
def select_coupons_used_at_checkout_tiers(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Int
  = sum(select_used_of_tier(cs, s.select_min_spend ?? US$0) for s in ss where first_of_tier(s, ss))

def select_coupons_used(cs: List[WalletCoupon]) -> Int
  = count(c in cs where c.kind == CouponKind.select_coupon and c.used)

def select_coupons_allowed(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12b")
  = select_coupons_used_at_checkout_tiers(ss, cs) == select_coupons_used(cs)
    and (
      forall s in ss where first_of_tier(s, ss) and s.select_min_spend is some(m).
        tier_allowed(cs, m, tier_subtotal(ss, cs, m), tier_allowance(ss, m))
    )

# every used Select Coupon is of the tier of some participating store (12b)

# "Only one AliExpress Coupon, Store Code or Store Coupon can be used per
#  order." (10e, 13b, 14b) An AliExpress Coupon discounts every store order,
#  so it counts against each of them (C1).
def used_of_kinds_at(s: StoreOrder, cs: List[WalletCoupon], k1: CouponKind, k2: CouponKind) -> Int
  = count(c in cs where c.store == some(s.store) and (c.kind == k1 or c.kind == k2) and c.used)

def aliexpress_coupons_used(cs: List[WalletCoupon]) -> Int
  = count(c in cs where c.kind == CouponKind.aliexpress_coupon and c.used)

def one_coupon_or_code_per_store_order(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10e")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 13b")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 14b")
  = aliexpress_coupons_used(cs)
      + max(
        used_of_kinds_at(s, cs, CouponKind.store_coupon, CouponKind.store_code)
        for s in ss
        else 0
      )
    <= 1

# "Instant Discounts cannot be combined." (per store order: they are the seller's)
def one_instant_discount_per_store_order(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16b")
  = forall s in ss.
      used_of_kinds_at(s, cs, CouponKind.instant_discount, CouponKind.instant_discount) <= 1

# "AliExpress Coupons cannot be combined. Only one AliExpress Coupon can be
#  used per order." / "Only one AliExpress Promo Code can be used per order."
#  Both discount every store order of the checkout (C1): one per checkout.
def one_aliexpress_coupon_and_one_promo_code(cs: List[WalletCoupon]) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10a")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11a")
  = aliexpress_coupons_used(cs) <= 1
    and count(c in cs where c.kind == CouponKind.promo_code and c.used) <= 1

# "If not otherwise specified in campaign specific terms and conditions,
#  AliExpress Coupons cannot be combined with other Coupons" (10b); "AliExpress
#  Promo Codes cannot be combined with other Coupons" (11a, F26). Coins are
#  Coupons too (1i): "Coins can be combined" (18c) is about Coins.
# "In the event of any conflict between these Terms and the Coupon Specific
#  Terms, the Coupon Specific Terms shall take precedence" (2). Reading (F38):
#  `combinable` is what a coupon's own terms say, for every kind: a Store
#  Coupon, Store Code, Coins ... whose terms forbid combining stands alone too.
rule exclusive_coupons_alone(cs: List[WalletCoupon])
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10b")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11a")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 2")
  when count(c in cs where not c.combinable and c.used) == 0
  when count(c in cs where c.used) <= 1

# "Coupons must be used within the validity period" (6); "each Coupon may only
#  be used once by each individual Buyer" (5; Instant Offs: "each Buyer could
#  use Instant Off only once", 17c, read per Instant Off, F35); an Invitation
#  Code is redeemed "for a number of AliExpress Coupons" (15a), not on an order.
def coupon_usable_today(c: WalletCoupon, today: Date) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 6")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 17c")
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 15a")
  = today >= c.valid_from
    and today <= c.valid_until
    and not c.used_before
    and c.kind != CouponKind.invitation_code

# "All AliExpress Coupons may NOT be used on transaction of any virtual product"
def no_aliexpress_coupon_on_virtual(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d")
  = not (
      cart_has_virtual_product(ss)
      and (exists c in cs. c.kind == CouponKind.aliexpress_coupon and c.used)
    )

# Every rule at once (the plan states each as its own `require`, so that an
# unused coupon names the one that excludes it: keep the two lists alike).
def coupons_allowed(ss: List[StoreOrder], cs: List[WalletCoupon], today: Date) -> Bool
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = (forall c in cs where c.used. coupon_usable_today(c, today))
    and no_aliexpress_coupon_on_virtual(ss, cs)
    and stores_in_cart(ss, cs)
    and min_spends_met(ss, cs)
    and instant_discount_items_met(ss, cs)
    and select_coupons_allowed(ss, cs)
    and one_coupon_or_code_per_store_order(ss, cs)
    and one_instant_discount_per_store_order(ss, cs)
    and one_aliexpress_coupon_and_one_promo_code(cs)
    and exclusive_coupons_alone(cs)

# What no coupon touches: special promotional items, value added services and delivery (5a, 5c).
def charges_without_coupons(ss: List[StoreOrder]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5")
  = sum(store_goods(s) - store_eligible(s) + s.shipping_fee for s in ss)

# ============================================================ allocation and refunds (C3; 8, 18b)

# Stages f (AliExpress Coupons, Promo Codes) and g (platform Instant Offs)
# discount the checkout as a whole; this is their part of each store order:
# taken from the store orders in increasing store number, each up to what it
# had left after its Store Code.
def platform_discount(ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  = order_after_store_codes(ss, cs) - order_after_platform_instant_off(ss, cs)

def stores_before(s: StoreOrder, ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  = sum(store_after_store_code(t, ss, cs) for t in ss where t.store < s.store)

def platform_share(s: StoreOrder, ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19f")
  = fill_share(
      platform_discount(ss, cs),
      stores_before(s, ss, cs),
      store_after_store_code(s, ss, cs),
    )

# Everything the coupons took off one store order's eligible goods.
def store_discount(s: StoreOrder, ss: List[StoreOrder], cs: List[WalletCoupon]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  = store_eligible(s) - store_after_store_code(s, ss, cs) + platform_share(s, ss, cs)

# A store order's discount is shared among its eligible lines in proportion to
# their amounts, by the largest remainder method to the cent: each line's part
# rounded down, then the missing cents one each to the lines whose part lost
# the largest fraction; equal fractions go to the lower line number.
def lines_eligible(lines: List[CartLine]) -> Money
  = sum(l.amount for l in lines where line_eligible(l))

def floor_share(amount: Money, weight: Money, total: Money) -> Money
  = if total > US$0 then round_down(amount * (weight / total)) else US$0

def cents(m: Money) -> Int = round_down(m / US$0.01)

# The fraction a line's part lost in rounding down, times the total (so that
# fractions compare without a division; the unit is cents times cents).
def rounding_loss(amount: Money, weight: Money, total: Money) -> Money
  = amount * cents(weight) - total * cents(floor_share(amount, weight, total))

def loses_more(amount: Money, total: Money, k: CartLine, l: CartLine) -> Bool
  = ahead(
      rounding_loss(amount, k.amount, total),
      k.no,
      rounding_loss(amount, l.amount, total),
      l.no,
    )

# A larger loss first; of equal losses, the lower line number.
def ahead(loss_k: Money, no_k: Int, loss_l: Money, no_l: Int) -> Bool
  = loss_k > loss_l or (loss_k == loss_l and no_k < no_l)

def line_share(l: CartLine, lines: List[CartLine], amount: Money) -> Money
  = if line_eligible(l)
      then floor_share(amount, l.amount, lines_eligible(lines))
        + (
          if US$0.01
              * count(
                k in lines
                where line_eligible(k) and loses_more(amount, lines_eligible(lines), k, l)
              )
              < amount
                - sum(
                  floor_share(amount, k.amount, lines_eligible(lines))
                  for k in lines
                  where line_eligible(k)
                )
            then US$0.01
          else US$0
        )
    else US$0

# What the buyer paid in cash for a line, given its store order's discount.
def line_cash(l: CartLine, lines: List[CartLine], store_discount: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8")
  = l.amount - line_share(l, lines, store_discount)

rule returned(s: StoreOrder, l: CartLine, rs: List[LineReturn, 8])
  when exists r in rs. r.store == s.store and r.line == l.no

# A line is returned at most once: several partial returns name different lines.
def returns_distinct(rs: List[LineReturn, 8]) -> Bool
  = forall r in rs. count(q in rs where q.store == r.store and q.line == r.line) == 1

# "If a buyer is entitled to a refund, the refund amount will not exceed the
#  buyer's cash payment ... the value of the Coupon that was used for the now
#  returned / refunded product ... shall be deemed to have been automatically
#  forfeited": a returned line gives back the cash paid for it.
# The cash refunded for the returned lines of one store order, given the store
# order's discount (`store_discount`).
def store_refund(s: StoreOrder, rs: List[LineReturn, 8], discount: Money) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8")
  = sum(line_cash(l, s.lines, discount) for l in s.lines where returned(s, l, rs))

# "The Coins will be refunded to the Buyer's account only if the order
#  utilizing Coins in one payment has been the successfully refunded or
#  canceled. ... the utilized Coins, either in part or in whole, will not be
#  refunded upon the partial cancellation and/or refund": the Coins a store
#  order used come back when all its lines are returned.
def coins_returned(s: StoreOrder, cs: List[WalletCoupon], rs: List[LineReturn, 8]) -> Money
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 18b")
  = if forall l in s.lines. returned(s, l, rs)
      then store_after_store_coupon(s, cs) - store_after_coins(s, cs)
    else US$0

# ============================================================ the plan

plan best_coupons(cart: Cart, wallet: Wallet)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions")
  choose c.used for c in wallet.coupons
  # the running subtotal of the eligible goods after each stage of clause 19
  let after_instant_discount = order_after_instant_discount(cart.stores, wallet.coupons)
  let after_seller_instant_off = order_after_seller_instant_off(cart.stores, wallet.coupons)
  let after_store_coupon = order_after_store_coupon(cart.stores, wallet.coupons)
  let after_coins = order_after_coins(cart.stores, wallet.coupons)
  let after_select_coupon = after_coins - select_discount(cart.stores, wallet.coupons)
  let after_store_code = order_after_store_codes(cart.stores, wallet.coupons)
  let after_aliexpress_coupon = after_platform(
    wallet.coupons,
    CouponKind.aliexpress_coupon,
    CouponKind.promo_code,
    after_store_code,
  )
  let after_platform_instant_off = after_platform(
    wallet.coupons,
    CouponKind.instant_off,
    CouponKind.instant_off,
    after_aliexpress_coupon,
  )
  # = cash_paid(cart.stores, wallet.coupons) and total_discount(...), from the lets above
  let cash = after_platform_instant_off + charges_without_coupons(cart.stores)
  let saved = order_eligible(cart.stores) - after_platform_instant_off
  # named so that a plan's report and its reasons say what they compare
  let coupons_used = count(c in wallet.coupons where c.used)
  let face_value_used = sum(c.value for c in wallet.coupons where c.used)
  # Reported with the plan, per element (the requires and objectives read none of
  # them): the stage of clause 19 at which each coupon used is redeemed; each store
  # order's running subtotal after the stages that work on it alone; what the
  # coupons took off each store order (its own stages, its share of the Select
  # Coupons and of the platform's stages, C3); each line's share of that, to the
  # cent; and the cash a return of that line alone gives back (8).
  let stage = coupon_stage(c) for c in wallet.coupons where c.used
  let store_subtotals = store_subtotals(s, cart.stores, wallet.coupons) for s in cart.stores
  let store_discount_of = store_discount(s, cart.stores, wallet.coupons) for s in cart.stores
  let line_discount = line_share(l, s.lines, store_discount(s, cart.stores, wallet.coupons))
    for s in cart.stores, l in s.lines
  let line_refund = line_cash(l, s.lines, store_discount(s, cart.stores, wallet.coupons))
    for s in cart.stores, l in s.lines
  require forall c in wallet.coupons where c.used. coupon_usable_today(c, cart.today)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 6")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 17c")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 15a")
  require no_aliexpress_coupon_on_virtual(cart.stores, wallet.coupons)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d")
  require stores_in_cart(cart.stores, wallet.coupons)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 13a")
  # Every minimum spend but the Select Coupons' (3). "Must exceed" is the
  # wording of 10c (AliExpress Coupons) and 11b (Promo Codes) only; Store
  # Coupons (13a), Store Codes (14a) and Instant Offs (17b) have "the minimum
  # spending requirement" without saying whether reaching it is enough, and are
  # strictly exceeded by reading F25 (docs/findings.md): a Store Coupon at
  # exactly its minimum is excluded here. (Select Coupons: `select_coupons_allowed`.)
  require min_spends_met(cart.stores, wallet.coupons)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 3")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10c")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11b")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 13a")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 14a")
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 17b")
  require instant_discount_items_met(cart.stores, wallet.coupons)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a")
  require select_coupons_allowed(cart.stores, wallet.coupons)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12a")
  require one_coupon_or_code_per_store_order(cart.stores, wallet.coupons)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10e")
  require one_instant_discount_per_store_order(cart.stores, wallet.coupons)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16b")
  require one_aliexpress_coupon_and_one_promo_code(wallet.coupons)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10a")
  require exclusive_coupons_alone(wallet.coupons)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10b")
  # pay least; then use the fewest coupons; then keep the most face value for later
  minimize cash then minimize coupons_used then minimize face_value_used

# The platform's exposure on one checkout: the most that a buyer holding this
# wallet can take off it within the stacking rules (`smallprint optimize
# specs/aliexpress --plan max_exposure`), proved a maximum. Over every checkout
# the bound is the eligible goods (`discount_within_eligible_goods`).
plan max_exposure(cart: Cart, wallet: Wallet)
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  choose c.used for c in wallet.coupons
  require coupons_allowed(cart.stores, wallet.coupons, cart.today)
    @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19")
  maximize total_discount(cart.stores, wallet.coupons)

# The store order `h` with `lines` instead of its own; `h` itself when two of them
# share a number, which no store order has (`line_numbers_distinct`): the
# properties below add a line of a number not used yet.
def with_lines(h: StoreOrder, lines: List[CartLine]) -> StoreOrder
  = if forall l in lines. count(k in lines where k.no == l.no) == 1
      then StoreOrder {
        store: h.store,
        lines: lines,
        shipping_fee: h.shipping_fee,
        select_min_spend: h.select_min_spend,
        select_allowance: h.select_allowance,
      }
    else h

# ============================================================ properties (issue 4 item 5)
#
# Bounds: at most 2 store orders of at most 2 lines, 1-3 coupons, 2 returns.
# Expected: every property is proved except `adding_a_line_costs_at_most_its_amount`
# (docs/findings-checkout.md C5: a virtual product shuts out the AliExpress Coupon).

# "such unused or unutilized value will lapse": no choice of coupons, allowed
# or not, makes the cash paid negative.
property checkout_cash_never_negative
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7"):
  forall ss: List[StoreOrder, 2], cs: List[WalletCoupon, 3]
      where stores_distinct(ss) and (forall s in ss. size(s.lines) <= 2).
    cash_paid(ss, cs) >= US$0

# Nor the discount larger than the eligible goods (or negative).
property discount_within_eligible_goods
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7"):
  forall ss: List[StoreOrder, 2], cs: List[WalletCoupon, 3]
      where stores_distinct(ss) and (forall s in ss. size(s.lines) <= 2).
    total_discount(ss, cs) >= US$0 and total_discount(ss, cs) <= order_eligible(ss)

# Every cent of the discount is some store order's: their parts add up to the
# checkout's discount, the Select parts to the Select discount, and no part is
# negative or larger than the store order's eligible goods.
property store_discounts_add_up
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19"):
  forall ss: List[StoreOrder, 2], cs: List[WalletCoupon, 3]
      where stores_distinct(ss) and (forall s in ss. size(s.lines) <= 2).
    sum(store_discount(s, ss, cs) for s in ss) == total_discount(ss, cs)

property select_shares_add_up
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12b"):
  forall ss: List[StoreOrder, 2], cs: List[WalletCoupon, 3]
      where stores_distinct(ss) and (forall s in ss. size(s.lines) <= 2).
    sum(select_share(s, ss, cs) for s in ss) == select_discount(ss, cs)

property store_discount_within_eligible_goods
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7"):
  forall ss: List[StoreOrder, 2], cs: List[WalletCoupon, 3]
      where stores_distinct(ss) and (forall s in ss. size(s.lines) <= 2).
    forall s in ss.
      store_discount(s, ss, cs) >= US$0 and store_discount(s, ss, cs) <= store_eligible(s)

# The line shares of any amount up to the eligible goods add up to it exactly,
# and none is negative or larger than its line.
property line_shares_add_up
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8"):
  forall lines: List[CartLine, 2], amount: Money
      where (forall l in lines. count(k in lines where k.no == l.no) == 1)
        and amount >= US$0
        and amount <= lines_eligible(lines).
    sum(line_share(l, lines, amount) for l in lines) == amount
    and (
      forall l in lines.
        line_share(l, lines, amount) >= US$0 and line_share(l, lines, amount) <= l.amount
    )

# "the refund amount will not exceed the buyer's cash payment": whatever lines
# of a store order come back, in one return or several (each line once), the
# cash refunded stays within what the store order's goods cost after its
# discount, for any discount the store order can carry (0 to its eligible
# goods, `store_discount_within_eligible_goods`). Summed over the store orders: the refunds
# of a checkout stay within its cash paid (C4). Coins are not cash (18b).
property refunds_within_cash_paid
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8"):
  forall s: StoreOrder, rs: List[LineReturn, 2], discount: Money
      where size(s.lines) <= 2
        and returns_distinct(rs)
        and discount >= US$0
        and discount <= store_eligible(s).
    store_refund(s, rs, discount) <= store_goods(s) - discount

# The order in which the buyer entered the coupons changes nothing: swapping
# the first two or the last two (which generate every order of three).
property coupon_order_irrelevant
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19"):
  forall ss: List[StoreOrder, 2], a: WalletCoupon, b: WalletCoupon, c: WalletCoupon, today: Date
      where stores_distinct(ss) and (forall s in ss. size(s.lines) <= 2).
    cash_paid(ss, [a, b, c]) == cash_paid(ss, [b, a, c])
    and cash_paid(ss, [a, b, c]) == cash_paid(ss, [a, c, b])
    and coupons_allowed(ss, [a, b, c], today) == coupons_allowed(ss, [b, a, c], today)
    and coupons_allowed(ss, [a, b, c], today) == coupons_allowed(ss, [a, c, b], today)

# Adding a line keeps every allowed choice of coupons allowed and raises the
# cash paid by at most the line's amount. EXPECTED TO FAIL (C5): a virtual
# product shuts out the AliExpress Coupon (10d).
property adding_a_line_costs_at_most_its_amount
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d")
  @finding("docs/findings-checkout.md", "C5"):
  forall h: StoreOrder, l1: CartLine, l2: CartLine, cs: List[WalletCoupon, 2], today: Date
      where l1.no != l2.no and coupons_allowed([with_lines(h, [l1])], cs, today).
    coupons_allowed([with_lines(h, [l1, l2])], cs, today)
    and cash_paid([with_lines(h, [l1, l2])], cs) <= cash_paid([with_lines(h, [l1])], cs) + l2.amount

# Without a virtual product or a service (10d, C8) it holds: for any one
# coupon, and for two coupons of fixed value (with two percentages the solver
# gives up, C5).
property adding_a_non_virtual_line_costs_at_most_its_amount
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11b"):
  forall h: StoreOrder, l1: CartLine, l2: CartLine, cs: List[WalletCoupon, 1], today: Date
      where l1.no != l2.no
        and not line_shuts_out_aliexpress_coupons(l2)
        and coupons_allowed([with_lines(h, [l1])], cs, today).
    coupons_allowed([with_lines(h, [l1, l2])], cs, today)
    and cash_paid([with_lines(h, [l1, l2])], cs) <= cash_paid([with_lines(h, [l1])], cs) + l2.amount

property adding_a_non_virtual_line_costs_at_most_its_amount_two_coupons
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11b"):
  forall h: StoreOrder, l1: CartLine, l2: CartLine, cs: List[WalletCoupon, 2], today: Date
      where l1.no != l2.no
        and not line_shuts_out_aliexpress_coupons(l2)
        and (forall c in cs. c.percent_off is none)
        and coupons_allowed([with_lines(h, [l1])], cs, today).
    coupons_allowed([with_lines(h, [l1, l2])], cs, today)
    and cash_paid([with_lines(h, [l1, l2])], cs) <= cash_paid([with_lines(h, [l1])], cs) + l2.amount

# ============================================================ tests (worked out by hand from the Terms)

# Clause 19 on two store orders, every stage in turn. Store 101: lines US$60 +
# US$40, US$2 shipping, Select tier US$99; store 102: US$30, tier US$99.
#   a) 10% Instant Discount (2 products needed, 3 ordered) on 101: 100 -> 90
#   b) seller Instant Off US$5 over US$80 on 101 (90 > 80): 90 -> 85
#   c) Store Coupon US$8 over US$84 on 101 (85 > 84): 85 -> 77;
#      Store Coupon US$3 over US$25 on 102 (30 > 25): 30 -> 27
#   d) Coins US$2 on 101: 77 -> 75
#   e) Select Coupon US$10, tier US$99: 75 + 27 = 102 >= 99; store 101 (the
#      lower number) gives it: 101: 75 -> 65, 102 stays 27
#   f) Promo Code US$4 over US$90 (its terms allow combining, F26): 92 > 90: 92 -> 88
#   g) AliExpress Instant Off US$1: 88 -> 87
# Cash: 87 + 2 shipping = US$89; discount 130 - 87 = US$43.
test "redemption order and the running subtotal over two store orders"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19") {
  given a = StoreOrder {
    store: 101,
    shipping_fee: US$2,
    select_min_spend: US$99,
    select_allowance: US$10,
    lines: [
      CartLine {
        no: 1,
        amount: US$60,
        quantity: 2,
        virtual: false,
        value_added_service: false,
        special_promotion: false,
      },
      CartLine {
        no: 2,
        amount: US$40,
        quantity: 1,
        virtual: false,
        value_added_service: false,
        special_promotion: false,
      },
    ],
  }
  given b = StoreOrder {
    store: 102,
    shipping_fee: US$0,
    select_min_spend: US$99,
    select_allowance: US$10,
    lines: [CartLine {
      no: 1,
      amount: US$30,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given cs = [
    WalletCoupon {
      id: "id10",
      kind: CouponKind.instant_discount,
      issuer: Issuer.seller,
      store: 101,
      value: US$0,
      percent_off: 10%,
      min_items: 2,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: true,
      used: true,
    },
    WalletCoupon {
      id: "off5",
      kind: CouponKind.instant_off,
      issuer: Issuer.seller,
      store: 101,
      value: US$5,
      min_spend: US$80,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: true,
      used: true,
    },
    WalletCoupon {
      id: "sc8",
      kind: CouponKind.store_coupon,
      issuer: Issuer.seller,
      store: 101,
      value: US$8,
      min_spend: US$84,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: true,
      used: true,
    },
    WalletCoupon {
      id: "sc3",
      kind: CouponKind.store_coupon,
      issuer: Issuer.seller,
      store: 102,
      value: US$3,
      min_spend: US$25,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: true,
      used: true,
    },
    WalletCoupon {
      id: "coins",
      kind: CouponKind.coins,
      issuer: Issuer.aliexpress,
      store: 101,
      value: US$2,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: true,
      used: true,
    },
    WalletCoupon {
      id: "sel10",
      kind: CouponKind.select_coupon,
      issuer: Issuer.aliexpress,
      value: US$10,
      min_spend: US$99,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: true,
      used: true,
    },
    WalletCoupon {
      id: "promo4",
      kind: CouponKind.promo_code,
      issuer: Issuer.aliexpress,
      value: US$4,
      min_spend: US$90,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: true,
      used: true,
    },
    WalletCoupon {
      id: "off1",
      kind: CouponKind.instant_off,
      issuer: Issuer.aliexpress,
      value: US$1,
      valid_from: 2020-03-01,
      valid_until: 2020-03-31,
      used_before: false,
      combinable: true,
      used: true,
    },
  ]
  expect order_after_instant_discount([a, b], cs) == US$120
  expect order_after_seller_instant_off([a, b], cs) == US$115
  expect order_after_store_coupon([a, b], cs) == US$104
  expect order_after_coins([a, b], cs) == US$102
  expect tier_subtotal([a, b], cs, US$99) == US$102
  expect store_after_select(a, [a, b], cs) == US$65
  expect store_after_select(b, [a, b], cs) == US$27
  expect order_after_select([a, b], cs) == US$92
  expect order_after_store_codes([a, b], cs) == US$92
  expect order_after_aliexpress_coupon([a, b], cs) == US$88
  expect order_after_platform_instant_off([a, b], cs) == US$87
  expect cash_paid([a, b], cs) == US$89
  expect total_discount([a, b], cs) == US$43
  expect coupons_allowed([a, b], cs, 2020-03-15)
  # the US$5 of stages f and g come out of store 101 (the lower number)
  expect store_discount(a, [a, b], cs) == US$40
  expect store_discount(b, [a, b], cs) == US$3
  # the store orders listed the other way round: the same result
  expect cash_paid([b, a], cs) == US$89
}

# 11b: "if after using any other Coupons ... the transaction amount of the order
# to be paid by the Buyer is lower than minimum purchase requirement" -- the
# Promo Code's US$92 minimum meets a running subtotal of exactly US$92, which
# does not "exceed" it (10c, 11b, F25); on the goods before coupons (US$130)
# it would have passed.
test "a minimum spend is checked on the running subtotal and must be exceeded"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 11b") {
  given a = StoreOrder {
    store: 101,
    shipping_fee: US$0,
    select_min_spend: US$99,
    select_allowance: US$10,
    lines: [CartLine {
      no: 1,
      amount: US$100,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given b = StoreOrder {
    store: 102,
    shipping_fee: US$0,
    select_min_spend: US$99,
    select_allowance: US$10,
    lines: [CartLine {
      no: 1,
      amount: US$30,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given sc = WalletCoupon {
    id: "sc",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 101,
    value: US$28,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given sel = WalletCoupon {
    id: "sel",
    kind: CouponKind.select_coupon,
    issuer: Issuer.aliexpress,
    value: US$10,
    min_spend: US$99,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given promo92 = WalletCoupon {
    id: "p92",
    kind: CouponKind.promo_code,
    issuer: Issuer.aliexpress,
    value: US$4,
    min_spend: US$92,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given promo9199 = WalletCoupon {
    id: "p9199",
    kind: CouponKind.promo_code,
    issuer: Issuer.aliexpress,
    value: US$4,
    min_spend: US$91.99,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  # 100 - 28 + 30 = 102 after the Store Coupon; the Select Coupon takes 10: 92
  expect order_after_store_codes([a, b], [sc, sel, promo92]) == US$92
  expect not min_spends_met([a, b], [sc, sel, promo92])
  expect min_spends_met([a, b], [sc, sel, promo9199])
  expect cash_paid([a, b], [sc, sel, promo9199]) == US$88
}

# 12a: "a Buyer can use Select Coupons making up to US$10 in nominal value when
# he/she makes a purchase of products US$99 or more"; 12b: "Select Coupon(s)
# can be used on items from different stores as long as the stores have the
# same Minimum Spending Requirement."
test "Select Coupons across store orders with the same Minimum Spending Requirement"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 12b") {
  given s1 = StoreOrder {
    store: 201,
    shipping_fee: US$0,
    select_min_spend: US$99,
    select_allowance: US$10,
    lines: [CartLine {
      no: 1,
      amount: US$60,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given s2 = StoreOrder {
    store: 202,
    shipping_fee: US$0,
    select_min_spend: US$99,
    select_allowance: US$10,
    lines: [CartLine {
      no: 1,
      amount: US$39,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given s3 = StoreOrder {
    store: 203,
    shipping_fee: US$0,
    select_min_spend: US$49,
    select_allowance: US$10,
    lines: [CartLine {
      no: 1,
      amount: US$50,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given sel10 = WalletCoupon {
    id: "sel10",
    kind: CouponKind.select_coupon,
    issuer: Issuer.aliexpress,
    value: US$10,
    min_spend: US$99,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given sel6 = WalletCoupon {
    id: "sel6",
    kind: CouponKind.select_coupon,
    issuer: Issuer.aliexpress,
    value: US$6,
    min_spend: US$99,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given sel5 = WalletCoupon {
    id: "sel5",
    kind: CouponKind.select_coupon,
    issuer: Issuer.aliexpress,
    value: US$5,
    min_spend: US$99,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  # 60 + 39 = 99: "US$99 or more" -- reached exactly
  expect select_coupons_allowed([s1, s2, s3], [sel10])
  expect cash_paid([s1, s2, s3], [sel10]) == US$139
  expect select_share(s1, [s1, s2, s3], [sel10]) == US$10
  expect select_share(s2, [s1, s2, s3], [sel10]) == US$0
  # store 203's US$50 has another requirement and does not count: 60 < 99
  expect not select_coupons_allowed([s1, s3], [sel10])
  # "making up to US$10 in nominal value": 6 + 5 = 11 is too much
  expect not select_coupons_allowed([s1, s2, s3], [sel6, sel5])
  expect select_coupons_allowed([s1, s2, s3], [sel6])
  # a tier no store of the checkout takes part in
  expect not select_coupons_allowed([s3], [sel10])
}

# 10e/13b/14b: "Only one AliExpress Coupon, Store Code or Store Coupon can be
# used per order." -- per store order (C1); an AliExpress Coupon counts
# against every store order; 18c "Coins can be combined."
test "one AliExpress Coupon, Store Code or Store Coupon per store order"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10e") {
  given s1 = StoreOrder {
    store: 301,
    shipping_fee: US$0,
    select_allowance: US$0,
    lines: [CartLine {
      no: 1,
      amount: US$50,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given s2 = StoreOrder {
    store: 302,
    shipping_fee: US$0,
    select_allowance: US$0,
    lines: [CartLine {
      no: 1,
      amount: US$50,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given sc1 = WalletCoupon {
    id: "sc1",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 301,
    value: US$5,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given sc1b = WalletCoupon {
    id: "sc1b",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 301,
    value: US$2,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given sc2 = WalletCoupon {
    id: "sc2",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 302,
    value: US$5,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given code2 = WalletCoupon {
    id: "code2",
    kind: CouponKind.store_code,
    issuer: Issuer.seller,
    store: 302,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given ae = WalletCoupon {
    id: "ae",
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$4,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given coins = WalletCoupon {
    id: "coins",
    kind: CouponKind.coins,
    issuer: Issuer.aliexpress,
    store: 302,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect one_coupon_or_code_per_store_order([s1, s2], [sc1, sc2])
  expect cash_paid([s1, s2], [sc1, sc2]) == US$90
  expect not one_coupon_or_code_per_store_order([s1, s2], [sc1, sc1b])
  expect not one_coupon_or_code_per_store_order([s1, s2], [sc2, code2])
  expect not one_coupon_or_code_per_store_order([s1, s2], [ae, sc2])
  expect one_coupon_or_code_per_store_order([s1, s2], [ae, coins])
  expect coupons_allowed([s1, s2], [ae, coins], 2020-03-15)
  expect cash_paid([s1, s2], [ae, coins]) == US$95
}

# 5: "Eligible purchases generally do not include: a) purchases of special
# promotional items ...; c) value added services ..., including ... delivery
# services and warranty services." Store 401: US$20 eligible, a US$30 special
# promotional item, a US$5 warranty service, US$3 shipping; a US$10 Store
# Coupon takes 10 off the 20: cash 10 + 30 + 5 + 3 = US$48. A US$25 minimum is
# checked on the eligible US$20 and missed.
test "special promotional items, value added services and delivery are not discounted"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 5") {
  given s = StoreOrder {
    store: 401,
    shipping_fee: US$3,
    select_allowance: US$0,
    lines: [
      CartLine {
        no: 1,
        amount: US$20,
        quantity: 1,
        virtual: false,
        value_added_service: false,
        special_promotion: false,
      },
      CartLine {
        no: 2,
        amount: US$30,
        quantity: 1,
        virtual: false,
        value_added_service: false,
        special_promotion: true,
      },
      CartLine {
        no: 3,
        amount: US$5,
        quantity: 1,
        virtual: false,
        value_added_service: true,
        special_promotion: false,
      },
    ],
  }
  given sc10 = WalletCoupon {
    id: "sc10",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 401,
    value: US$10,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given sc5 = WalletCoupon {
    id: "sc5",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 401,
    value: US$5,
    min_spend: US$25,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect store_eligible(s) == US$20
  expect cash_paid([s], [sc10]) == US$48
  expect not min_spends_met([s], [sc5])
  # the whole discount sits on the eligible line
  expect line_share(
    CartLine {
      no: 1,
      amount: US$20,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    },
    s.lines,
    US$10,
  )
    == US$10
  expect line_share(
    CartLine {
      no: 2,
      amount: US$30,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: true,
    },
    s.lines,
    US$10,
  )
    == US$0
}

# 7: "if the value of the order ... is lower than the value of the Coupon), the
# difference will not be refunded ... and such unused or unutilized value will
# lapse": a US$10 Store Coupon on US$8 of goods leaves US$3 of shipping to pay.
test "unused value lapses"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 7") {
  given s = StoreOrder {
    store: 501,
    shipping_fee: US$3,
    select_allowance: US$0,
    lines: [CartLine {
      no: 1,
      amount: US$8,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given sc = WalletCoupon {
    id: "sc",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 501,
    value: US$10,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect cash_paid([s], [sc]) == US$3
  expect total_discount([s], [sc]) == US$8
}

# 10d: "All AliExpress Coupons may NOT be used on transaction of any virtual
# product ... mobile top-up"; the Store Coupon is not an AliExpress Coupon.
test "no AliExpress Coupon on a checkout with a virtual product"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d") {
  given s = StoreOrder {
    store: 601,
    shipping_fee: US$0,
    select_allowance: US$0,
    lines: [CartLine {
      no: 1,
      amount: US$20,
      quantity: 1,
      virtual: true,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given ae = WalletCoupon {
    id: "ae",
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
    used: true,
  }
  given sc = WalletCoupon {
    id: "sc",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 601,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect not coupons_allowed([s], [ae], 2020-03-15)
  expect coupons_allowed([s], [sc], 2020-03-15)
}

# 10d: "All AliExpress Coupons may NOT be used on transaction of any virtual
# product ..., including, without limitation, ... commercial warranty service,
# spare part installation or maintenance services and/or other services."
# Reading C8: a service line (5c's "value added services", here a US$3.99
# warranty) shuts the AliExpress Coupon out as a virtual line does; a store
# order's shipping fee (US$2) does not. The coupon's own minimum is US$15, and
# US$20 of goods exceeds it (10c).
test "no AliExpress Coupon on a checkout with a service line (10d)"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d") {
  given with_warranty = StoreOrder {
    store: 602,
    shipping_fee: US$2,
    select_allowance: US$0,
    lines: [
      CartLine {
        no: 1,
        amount: US$20,
        quantity: 1,
        virtual: false,
        value_added_service: false,
        special_promotion: false,
      },
      CartLine {
        no: 2,
        amount: US$3.99,
        quantity: 1,
        virtual: false,
        value_added_service: true,
        special_promotion: false,
      },
    ],
  }
  given shipped_only = StoreOrder {
    store: 602,
    shipping_fee: US$2,
    select_allowance: US$0,
    lines: [CartLine {
      no: 1,
      amount: US$20,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given ae = WalletCoupon {
    id: "ae",
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$3,
    min_spend: US$15,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
    used: true,
  }
  expect cart_has_virtual_product([with_warranty])
  expect not no_aliexpress_coupon_on_virtual([with_warranty], [ae])
  expect not coupons_allowed([with_warranty], [ae], 2020-03-15)
  expect not cart_has_virtual_product([shipped_only])
  expect coupons_allowed([shipped_only], [ae], 2020-03-15)
  # 20 - 3 + 2 shipping
  expect cash_paid([shipped_only], [ae]) == US$19
}

# 2: "the Coupon Specific Terms shall take precedence" (F38): a Store Coupon
# whose own terms forbid combining ("combinable: false") stands alone, as an
# AliExpress Coupon does by 10b. US$40 of goods: the US$5 Store Coupon alone
# (40 > 30): US$35; US$1 of Coins alone: US$39; both together: refused.
test "a coupon of any kind whose own terms forbid combining stands alone"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 2") {
  given s = StoreOrder {
    store: 701,
    shipping_fee: US$0,
    select_allowance: US$0,
    lines: [CartLine {
      no: 1,
      amount: US$40,
      quantity: 1,
      virtual: false,
      value_added_service: false,
      special_promotion: false,
    }],
  }
  given sc = WalletCoupon {
    id: "sc",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 701,
    value: US$5,
    min_spend: US$30,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
    used: true,
  }
  given coins = WalletCoupon {
    id: "coins",
    kind: CouponKind.coins,
    issuer: Issuer.aliexpress,
    store: 701,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect coupons_allowed([s], [sc], 2020-03-15)
  expect cash_paid([s], [sc]) == US$35
  expect coupons_allowed([s], [coins], 2020-03-15)
  expect cash_paid([s], [coins]) == US$39
  expect not exclusive_coupons_alone([sc, coins])
  expect not coupons_allowed([s], [sc, coins], 2020-03-15)
}

# 6: "Coupons must be used within the validity period"; 5: "each Coupon may only
# be used once by each individual Buyer"; 15a: an Invitation Code is redeemed
# "for a number of AliExpress Coupons", not on an order.
test "validity period, once per buyer, Invitation Codes"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 6") {
  given c = WalletCoupon {
    id: "c",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 1,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given again = WalletCoupon {
    id: "again",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 1,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: true,
    combinable: true,
    used: true,
  }
  given invite = WalletCoupon {
    id: "inv",
    kind: CouponKind.invitation_code,
    issuer: Issuer.aliexpress,
    value: US$2,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect coupon_usable_today(c, 2020-03-01)
  expect coupon_usable_today(c, 2020-03-31)
  expect not coupon_usable_today(c, 2020-04-01)
  expect not coupon_usable_today(c, 2020-02-29)
  expect not coupon_usable_today(again, 2020-03-15)
  expect not coupon_usable_today(invite, 2020-03-15)
}

# 16a: "if the number of participating product(s) ordered has meet the minimum
# purchase requirement" -- 2 eligible products (the special promotional item
# does not participate, 5a); 16b: "Instant Discounts cannot be combined."
# F24: 15% of US$33.33 is US$4.9995, rounded down to US$4.99.
test "Instant Discounts: products ordered, one per store order, rounding"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 16a") {
  given s = StoreOrder {
    store: 701,
    shipping_fee: US$0,
    select_allowance: US$0,
    lines: [
      CartLine {
        no: 1,
        amount: US$33.33,
        quantity: 2,
        virtual: false,
        value_added_service: false,
        special_promotion: false,
      },
      CartLine {
        no: 2,
        amount: US$9,
        quantity: 1,
        virtual: false,
        value_added_service: false,
        special_promotion: true,
      },
    ],
  }
  given need3 = WalletCoupon {
    id: "need3",
    kind: CouponKind.instant_discount,
    issuer: Issuer.seller,
    store: 701,
    value: US$0,
    percent_off: 15%,
    min_items: 3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given need2 = WalletCoupon {
    id: "need2",
    kind: CouponKind.instant_discount,
    issuer: Issuer.seller,
    store: 701,
    value: US$0,
    percent_off: 15%,
    min_items: 2,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect store_eligible_items(s) == 2
  expect not instant_discount_items_met([s], [need3])
  expect instant_discount_items_met([s], [need2])
  expect store_after_instant_discount(s, [need2]) == US$28.34
  expect cash_paid([s], [need2]) == US$37.34
  expect not one_instant_discount_per_store_order([s], [need2, need2])
}

# 10b: "If not otherwise specified in campaign specific terms and conditions,
# AliExpress Coupons cannot be combined with other Coupons"; 11a: "AliExpress
# Promo Codes cannot be combined with other Coupons"; 18c: "Coins can be combined."
test "AliExpress Coupons and Promo Codes alone unless their terms allow combining"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10b") {
  given ae_alone = WalletCoupon {
    id: "a",
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
    used: true,
  }
  given ae = WalletCoupon {
    id: "b",
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$3,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given promo_alone = WalletCoupon {
    id: "p",
    kind: CouponKind.promo_code,
    issuer: Issuer.aliexpress,
    value: US$2,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
    used: true,
  }
  given coins = WalletCoupon {
    id: "c",
    kind: CouponKind.coins,
    issuer: Issuer.aliexpress,
    store: 1,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given spare = WalletCoupon {
    id: "d",
    kind: CouponKind.coins,
    issuer: Issuer.aliexpress,
    store: 1,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: false,
  }
  expect not exclusive_coupons_alone([ae_alone, coins])
  expect exclusive_coupons_alone([ae_alone, spare])
  expect exclusive_coupons_alone([ae, coins, coins])
  expect not exclusive_coupons_alone([promo_alone, coins])
  expect not one_aliexpress_coupon_and_one_promo_code([ae, ae])
}

# Clause 19 names the stage of each kind; the stage definitions filter by kind
# (and by scope for Instant Offs). This pins the two to each other.
test "stages by kind follow clause 19"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 19") {
  given seller_off = WalletCoupon {
    id: "o",
    kind: CouponKind.instant_off,
    issuer: Issuer.seller,
    store: 1,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given platform_off = WalletCoupon {
    id: "p",
    kind: CouponKind.instant_off,
    issuer: Issuer.partner,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given code = WalletCoupon {
    id: "c",
    kind: CouponKind.store_code,
    issuer: Issuer.seller,
    store: 1,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  given promo = WalletCoupon {
    id: "r",
    kind: CouponKind.promo_code,
    issuer: Issuer.aliexpress,
    value: US$1,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect coupon_stage(seller_off) == Stage.seller_instant_off
  expect coupon_stage(platform_off) == Stage.platform_instant_off
  expect coupon_stage(code) == Stage.aliexpress_coupon_or_code
  expect coupon_stage(promo) == Stage.aliexpress_coupon_or_code
}

# The largest remainder method (C3): US$10 over 33.33 / 33.33 / 33.34 is
# 3.3330 / 3.3330 / 3.3340; rounded down 3.33 each (9.99); the missing cent goes
# to the largest fraction (line 3). US$0.01 over two equal lines: 0.005 each,
# rounded down 0; the tie goes to the lower line number (no 1, listed second).
test "line shares: largest remainder to the cent, ties to the lower line number"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8") {
  given l1 = CartLine {
    no: 1,
    amount: US$33.33,
    quantity: 1,
    virtual: false,
    value_added_service: false,
    special_promotion: false,
  }
  given l2 = CartLine {
    no: 2,
    amount: US$33.33,
    quantity: 1,
    virtual: false,
    value_added_service: false,
    special_promotion: false,
  }
  given l3 = CartLine {
    no: 3,
    amount: US$33.34,
    quantity: 1,
    virtual: false,
    value_added_service: false,
    special_promotion: false,
  }
  expect line_share(l1, [l1, l2, l3], US$10) == US$3.33
  expect line_share(l2, [l1, l2, l3], US$10) == US$3.33
  expect line_share(l3, [l1, l2, l3], US$10) == US$3.34
  given m2 = CartLine {
    no: 2,
    amount: US$1.50,
    quantity: 1,
    virtual: false,
    value_added_service: false,
    special_promotion: false,
  }
  given m1 = CartLine {
    no: 1,
    amount: US$1.50,
    quantity: 1,
    virtual: false,
    value_added_service: false,
    special_promotion: false,
  }
  expect line_share(m2, [m2, m1], US$0.01) == US$0
  expect line_share(m1, [m2, m1], US$0.01) == US$0.01
}

# 8: "if a US $5 coupon was used on a US $15 order, the refund for such order
# will not exceed US $10". Lines US$10 and US$5 share the US$5 coupon as
# 3.333 -> 3.33 and 1.667 -> 1.66 + the missing cent (larger fraction) = 1.67;
# returning the lines one after the other refunds 6.67 + 3.33 = US$10.00.
# 18b: the US$1.50 of Coins come back only when every line is returned.
test "partial returns refund the lines' cash; Coins only with the whole order"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 8") {
  given s = StoreOrder {
    store: 801,
    shipping_fee: US$0,
    select_allowance: US$0,
    lines: [
      CartLine {
        no: 1,
        amount: US$10,
        quantity: 1,
        virtual: false,
        value_added_service: false,
        special_promotion: false,
      },
      CartLine {
        no: 2,
        amount: US$5,
        quantity: 1,
        virtual: false,
        value_added_service: false,
        special_promotion: false,
      },
    ],
  }
  given sc = WalletCoupon {
    id: "sc",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 801,
    value: US$5,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect cash_paid([s], [sc]) == US$10
  expect store_discount(s, [s], [sc]) == US$5
  expect store_refund(s, [LineReturn { store: 801, line: 1 }], US$5) == US$6.67
  expect store_refund(s, [LineReturn { store: 801, line: 2 }], US$5) == US$3.33
  expect store_refund(
    s,
    [LineReturn { store: 801, line: 1 }, LineReturn { store: 801, line: 2 }],
    US$5,
  )
    == US$10
  given coins = WalletCoupon {
    id: "coins",
    kind: CouponKind.coins,
    issuer: Issuer.aliexpress,
    store: 801,
    value: US$1.50,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect coins_returned(s, [coins], [LineReturn { store: 801, line: 1 }]) == US$0
  expect coins_returned(
    s,
    [coins],
    [LineReturn { store: 801, line: 1 }, LineReturn { store: 801, line: 2 }],
  )
    == US$1.50
}

# The counterexample to `adding_a_line_costs_at_most_its_amount` (C5), by hand:
# US$50 of goods with a US$10 AliExpress Coupon pays US$40; add a US$1 mobile
# top-up (a virtual product, 10d) and the coupon is shut out: US$51, US$11
# more for a US$1 line. Buying more can also pay less: a US$10 Store Coupon
# "over US$50" on US$49 pays US$49, on US$51 pays US$41.
test "adding a line can cost more than the line, or less than nothing"
  @cite("aliexpress-buyer-help-center.txt", "AliExpress Coupons Terms & Conditions, 10d") {
  given goods = CartLine {
    no: 1,
    amount: US$50,
    quantity: 1,
    virtual: false,
    value_added_service: false,
    special_promotion: false,
  }
  given topup = CartLine {
    no: 2,
    amount: US$1,
    quantity: 1,
    virtual: true,
    value_added_service: false,
    special_promotion: false,
  }
  given h = StoreOrder { store: 901, shipping_fee: US$0, select_allowance: US$0, lines: [] }
  given ae = WalletCoupon {
    id: "ae",
    kind: CouponKind.aliexpress_coupon,
    issuer: Issuer.aliexpress,
    value: US$10,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: false,
    used: true,
  }
  expect coupons_allowed([with_lines(h, [goods])], [ae], 2020-03-15)
  expect cash_paid([with_lines(h, [goods])], [ae]) == US$40
  expect not coupons_allowed([with_lines(h, [goods, topup])], [ae], 2020-03-15)
  expect cash_paid([with_lines(h, [goods, topup])], []) == US$51
  given l49 = CartLine {
    no: 1,
    amount: US$49,
    quantity: 1,
    virtual: false,
    value_added_service: false,
    special_promotion: false,
  }
  given l2 = CartLine {
    no: 2,
    amount: US$2,
    quantity: 1,
    virtual: false,
    value_added_service: false,
    special_promotion: false,
  }
  given sc = WalletCoupon {
    id: "sc",
    kind: CouponKind.store_coupon,
    issuer: Issuer.seller,
    store: 901,
    value: US$10,
    min_spend: US$50,
    valid_from: 2020-03-01,
    valid_until: 2020-03-31,
    used_before: false,
    combinable: true,
    used: true,
  }
  expect not coupons_allowed([with_lines(h, [l49])], [sc], 2020-03-15)
  expect coupons_allowed([with_lines(h, [l49, l2])], [sc], 2020-03-15)
  expect cash_paid([with_lines(h, [l49, l2])], [sc]) == US$41
}
