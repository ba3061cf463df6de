from engine.dermatomes import dermatomes_for, neighbours_for


def test_outer_foot_and_little_toe_are_s1(kb):
    assert dermatomes_for(["outer foot", "little toe"], kb) == ["S1"]


def test_a_band_from_outer_shin_to_big_toe_is_l5(kb):
    assert dermatomes_for(["outer thigh", "outer lower leg", "top of foot", "big toe"], kb) == [
        "L5"
    ]


def test_inner_shin_and_ankle_are_l4(kb):
    assert dermatomes_for(["inner lower leg", "inner ankle"], kb) == ["L4"]


def test_groin_is_l1_and_back_of_knee_is_s2(kb):
    assert dermatomes_for(["groin"], kb) == ["L1"]
    assert dermatomes_for(["back of knee"], kb) == ["S2"]


def test_front_of_thigh_is_l2_with_l1_and_l3_as_neighbours(kb):
    assert dermatomes_for(["front of thigh"], kb) == ["L2"]
    assert neighbours_for(["front of thigh"], kb) == ["L1", "L3"]


def test_regions_without_a_root_give_none(kb):
    assert dermatomes_for(["whole leg", "foot"], kb) == []
    assert dermatomes_for([], kb) == []
