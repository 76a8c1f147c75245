# What must always hold.

module properties
import types, returns, pricematch, loyalty, warranty, shipping, promos

# A refund never exceeds what the buyer paid, and is never negative.
property refund_within_paid
  @cite("voltmart-terms.txt", "R3 Refund method"):
  forall r: ReturnRequest. refund(r) >= US$0 and refund(r) <= r.purchase.paid

# The restocking fee is at most 15% of the price paid (plus the half cent of rounding).
property fee_at_most_rate
  @cite("voltmart-terms.txt", "R2 Restocking"):
  forall r: ReturnRequest. restocking_fee(r) <= round_half_up(r.purchase.paid * 15%)

# A price-match credit never exceeds the price paid.
property price_match_bounded
  @cite("voltmart-terms.txt", "P1 Price match"):
  forall c: PriceMatchClaim.
    price_match_credit(c) >= US$0 and price_match_credit(c) <= c.purchase.paid

# Water damage is only repaired under the Accident Shield.
property water_needs_shield
  @cite("voltmart-terms.txt", "W1.2 Water damage"):
  forall w: WarrantyClaim where w.fault == Fault.water_damage and warranty_repair(w).
    w.accident_shield_until is some(u) and w.reported_on <= u

# Whatever codes are used, nobody pays a negative amount.
property cash_never_negative
  @cite("voltmart-terms.txt", "C3 Order of application"):
  forall cart: Cart. cash_due(cart) >= US$0

# Every returnable opened item costs a restocking fee. DELIBERATELY FALSE:
# items at or below US$100 carry no fee.
property opened_returns_always_pay_a_fee
  @cite("voltmart-terms.txt", "R2 Restocking")
  @finding("findings.md", "V1"):
  forall r: ReturnRequest where r.opened and can_return(r). restocking_fee(r) > US$0

# Higher tiers never earn fewer points. (Should hold.)
property gold_earns_at_least_basic
  @cite("voltmart-terms.txt", "L1 Loyalty tiers"):
  forall p: Purchase. points_earned(p, some(Tier.gold)) >= points_earned(p, some(Tier.basic))

# Only manufacturing defects are repaired. DELIBERATELY FALSE: the Accident
# Shield covers water and drop damage too.
property only_defects_repaired
  @cite("voltmart-terms.txt", "W1 Warranty")
  @finding("findings.md", "V2"):
  forall w: WarrantyClaim where warranty_repair(w). w.fault == Fault.manufacturing_defect
