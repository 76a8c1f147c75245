# W1: one-year warranty repairs; water damage excluded unless the buyer bought
# the Accident Shield add-on.

module warranty
import types

const warranty_period: Days = 365 days @cite("voltmart-terms.txt", "W1 Warranty")

enum Fault @cite("voltmart-terms.txt", "W1 Warranty") {
  manufacturing_defect,
  water_damage @cite("voltmart-terms.txt", "W1.2 Water damage"),
  drop_damage @cite("voltmart-terms.txt", "W1.3 Accidental damage"),
  cosmetic,
}

record WarrantyClaim {
  purchase: Purchase
  reported_on: Date
  fault: Fault
  accident_shield_until: Date?  # end of the Accident Shield cover, if bought
  invariant reported_after_purchase: reported_on >= purchase.purchased_at
  invariant shield_after_purchase:
    accident_shield_until ?? purchase.purchased_at >= purchase.purchased_at
}

rule shield_active(w: WarrantyClaim)
  @cite("voltmart-terms.txt", "W2 Accident Shield")
  when w.accident_shield_until is some(u) and w.reported_on <= u

rule warranty_repair(w: WarrantyClaim)
  @cite("voltmart-terms.txt", "W1 Warranty")
  when w.fault == Fault.manufacturing_defect
    and w.reported_on <= w.purchase.purchased_at + warranty_period
  when shield_active(w) and w.fault in [Fault.water_damage, Fault.drop_damage]
    @cite("voltmart-terms.txt", "W2 Accident Shield")
  unless w.fault == Fault.water_damage @cite("voltmart-terms.txt", "W1.2 Water damage")
    except shield_active(w) @cite("voltmart-terms.txt", "W2 Accident Shield")
  unless w.purchase.category == Category.software
    @cite("voltmart-terms.txt", "W1.4 Software is not repaired")

test "defect within a year is repaired" @cite("voltmart-terms.txt", "W1 Warranty") {
  given p = Purchase {
    sku: "PH",
    category: Category.general,
    purchased_at: 2024-01-10,
    price: US$699,
    paid: US$699,
    payment: Payment.card,
  }
  expect warranty_repair(WarrantyClaim {
    purchase: p,
    reported_on: 2025-01-09,
    fault: Fault.manufacturing_defect,
  })
  expect not warranty_repair(WarrantyClaim {
    purchase: p,
    reported_on: 2025-01-10,
    fault: Fault.manufacturing_defect,
  })
  expect not warranty_repair(WarrantyClaim {
    purchase: p,
    reported_on: 2024-02-01,
    fault: Fault.cosmetic,
  })
}

test "water damage only with the shield" @cite("voltmart-terms.txt", "W1.2 Water damage") {
  given p = Purchase {
    sku: "PH",
    category: Category.general,
    purchased_at: 2024-01-10,
    price: US$699,
    paid: US$699,
    payment: Payment.card,
  }
  expect not warranty_repair(WarrantyClaim {
    purchase: p,
    reported_on: 2024-02-01,
    fault: Fault.water_damage,
  })
  expect warranty_repair(WarrantyClaim {
    purchase: p,
    reported_on: 2024-02-01,
    fault: Fault.water_damage,
    accident_shield_until: 2026-01-10,
  })
  expect not warranty_repair(WarrantyClaim {
    purchase: p,
    reported_on: 2026-01-11,
    fault: Fault.water_damage,
    accident_shield_until: 2026-01-10,
  })
}

# The days on which a fault reported on a purchase is repaired (for `ask --free`).
rule repair_on(p: Purchase, fault: Fault, shield_until: Date?, today: Date)
  @cite("voltmart-terms.txt", "W1 Warranty")
  when today >= p.purchased_at
    and shield_until ?? p.purchased_at >= p.purchased_at
    and warranty_repair(WarrantyClaim {
      purchase: p,
      reported_on: today,
      fault: fault,
      accident_shield_until: shield_until,
    })
