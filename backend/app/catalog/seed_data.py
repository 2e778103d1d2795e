"""The vocabulary of the demo catalog: departments, aisles and shelves with their product
nouns, price and weight ranges; brands, adjectives, colours, materials and phrases."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Leaf:
    name: str
    nouns: tuple[str, ...]
    price: tuple[int, int]  # euros, min and max
    weight: tuple[float, float]  # kilograms


# Six departments, three aisles each, three shelves each: 78 categories, 54 of them leaves.
TAXONOMY: dict[str, dict[str, tuple[Leaf, ...]]] = {
    "Clothing": {
        "Tops": (
            Leaf("T-shirts", ("T-shirt", "Tee", "Polo shirt"), (9, 45), (0.15, 0.3)),
            Leaf("Shirts", ("Shirt", "Oxford shirt", "Flannel shirt"), (25, 110), (0.2, 0.4)),
            Leaf("Sweaters", ("Sweater", "Hoodie", "Cardigan"), (30, 160), (0.35, 0.9)),
        ),
        "Bottoms": (
            Leaf("Jeans", ("Jeans", "Slim jeans", "Straight jeans"), (40, 150), (0.5, 0.9)),
            Leaf("Trousers", ("Chinos", "Trousers", "Joggers"), (30, 120), (0.35, 0.7)),
            Leaf("Shorts", ("Shorts", "Cargo shorts", "Swim shorts"), (15, 60), (0.15, 0.4)),
        ),
        "Outerwear": (
            Leaf("Jackets", ("Jacket", "Bomber jacket", "Denim jacket"), (60, 260), (0.6, 1.4)),
            Leaf("Coats", ("Coat", "Parka", "Trench coat"), (90, 420), (0.9, 2.2)),
            Leaf("Rainwear", ("Raincoat", "Rain jacket", "Poncho"), (35, 180), (0.3, 0.9)),
        ),
    },
    "Shoes and bags": {
        "Shoes": (
            Leaf("Sneakers", ("Sneakers", "Trainers", "Canvas shoes"), (45, 180), (0.6, 1.1)),
            Leaf("Boots", ("Boots", "Chelsea boots", "Hiking boots"), (70, 260), (0.9, 1.8)),
            Leaf("Sandals", ("Sandals", "Flip-flops", "Slides"), (15, 90), (0.2, 0.6)),
        ),
        "Bags": (
            Leaf("Backpacks", ("Backpack", "Daypack", "Laptop backpack"), (35, 190), (0.5, 1.5)),
            Leaf("Handbags", ("Handbag", "Tote bag", "Crossbody bag"), (30, 300), (0.3, 1.0)),
            Leaf("Luggage", ("Suitcase", "Duffel bag", "Weekender"), (60, 350), (1.5, 4.5)),
        ),
        "Accessories": (
            Leaf("Belts", ("Belt", "Braided belt", "Leather belt"), (15, 80), (0.1, 0.3)),
            Leaf("Wallets", ("Wallet", "Card holder", "Coin purse"), (12, 110), (0.05, 0.2)),
            Leaf("Hats", ("Cap", "Beanie", "Sun hat"), (10, 60), (0.05, 0.2)),
        ),
    },
    "Home and kitchen": {
        "Cookware": (
            Leaf("Pans", ("Frying pan", "Skillet", "Wok"), (20, 160), (0.8, 3.2)),
            Leaf("Pots", ("Stock pot", "Saucepan", "Casserole"), (25, 220), (1.0, 5.5)),
            Leaf("Knives", ("Chef knife", "Paring knife", "Bread knife"), (15, 190), (0.1, 0.35)),
        ),
        "Tableware": (
            Leaf("Mugs", ("Mug", "Travel mug", "Espresso cup"), (6, 35), (0.15, 0.5)),
            Leaf("Plates", ("Dinner plate", "Side plate", "Bowl"), (5, 40), (0.3, 0.9)),
            Leaf("Glasses", ("Tumbler", "Wine glass", "Carafe"), (6, 60), (0.2, 0.9)),
        ),
        "Home textiles": (
            Leaf("Bedding", ("Duvet cover", "Pillowcase", "Sheet set"), (15, 140), (0.4, 2.0)),
            Leaf("Towels", ("Bath towel", "Hand towel", "Beach towel"), (8, 55), (0.2, 0.9)),
            Leaf("Rugs", ("Rug", "Runner", "Doormat"), (20, 400), (0.8, 9.0)),
        ),
    },
    "Electronics": {
        "Audio": (
            Leaf("Headphones", ("Headphones", "Earbuds", "Headset"), (20, 380), (0.05, 0.4)),
            Leaf(
                "Speakers",
                ("Bluetooth speaker", "Soundbar", "Smart speaker"),
                (30, 450),
                (0.3, 4.0),
            ),
            Leaf(
                "Turntables", ("Turntable", "Record player", "Phono preamp"), (90, 600), (1.0, 6.5)
            ),
        ),
        "Computing": (
            Leaf("Keyboards", ("Keyboard", "Mechanical keyboard", "Keypad"), (20, 220), (0.3, 1.2)),
            Leaf("Mice", ("Mouse", "Trackball", "Mouse pad"), (8, 130), (0.05, 0.25)),
            Leaf(
                "Monitors",
                ("Monitor", "Ultrawide monitor", "Portable monitor"),
                (120, 900),
                (2.5, 9.0),
            ),
        ),
        "Phone accessories": (
            Leaf("Chargers", ("Charger", "Power bank", "Wireless charger"), (12, 90), (0.05, 0.45)),
            Leaf("Cables", ("USB-C cable", "Lightning cable", "HDMI cable"), (5, 35), (0.03, 0.2)),
            Leaf(
                "Cases", ("Phone case", "Tablet sleeve", "Screen protector"), (8, 60), (0.02, 0.3)
            ),
        ),
    },
    "Sports and outdoors": {
        "Running": (
            Leaf(
                "Running shoes",
                ("Running shoes", "Trail shoes", "Racing flats"),
                (60, 220),
                (0.4, 0.8),
            ),
            Leaf(
                "Running apparel",
                ("Running tights", "Running shirt", "Running vest"),
                (20, 120),
                (0.1, 0.4),
            ),
            Leaf(
                "Sport watches",
                ("GPS watch", "Heart rate monitor", "Stopwatch"),
                (25, 600),
                (0.04, 0.15),
            ),
        ),
        "Camping": (
            Leaf("Tents", ("Tent", "Ultralight tent", "Tarp"), (60, 650), (0.8, 6.0)),
            Leaf(
                "Sleeping bags",
                ("Sleeping bag", "Sleeping mat", "Camping pillow"),
                (20, 400),
                (0.3, 2.5),
            ),
            Leaf(
                "Camp kitchen", ("Camping stove", "Cook set", "Water filter"), (15, 180), (0.1, 1.5)
            ),
        ),
        "Cycling": (
            Leaf("Helmets", ("Helmet", "Road helmet", "Kids helmet"), (30, 250), (0.25, 0.5)),
            Leaf("Bike lights", ("Bike light", "Rear light", "Light set"), (10, 140), (0.05, 0.3)),
            Leaf("Bike locks", ("Lock", "Folding lock", "Chain lock"), (15, 150), (0.3, 2.2)),
        ),
    },
    "Garden and DIY": {
        "Garden tools": (
            Leaf("Hoses", ("Garden hose", "Hose reel", "Spray nozzle"), (10, 120), (0.3, 6.0)),
            Leaf("Pruners", ("Pruning shears", "Loppers", "Hedge shears"), (12, 90), (0.2, 1.5)),
            Leaf("Spades", ("Spade", "Garden fork", "Trowel"), (10, 80), (0.3, 2.5)),
        ),
        "Power tools": (
            Leaf(
                "Drills", ("Cordless drill", "Hammer drill", "Impact driver"), (45, 380), (1.0, 3.0)
            ),
            Leaf("Saws", ("Jigsaw", "Circular saw", "Reciprocating saw"), (50, 420), (1.8, 5.0)),
            Leaf(
                "Sanders", ("Orbital sander", "Belt sander", "Detail sander"), (35, 260), (1.0, 3.5)
            ),
        ),
        "Hand tools": (
            Leaf("Hammers", ("Hammer", "Mallet", "Sledgehammer"), (10, 90), (0.4, 4.5)),
            Leaf(
                "Screwdrivers",
                ("Screwdriver set", "Bit set", "Precision screwdriver"),
                (8, 80),
                (0.1, 1.2),
            ),
            Leaf("Wrenches", ("Wrench", "Socket set", "Adjustable spanner"), (10, 180), (0.2, 4.0)),
        ),
    },
}

BRAND_STARTS = ("Nor", "Vel", "Ast", "Kal", "Bru", "Fjel", "Sol", "Mar", "Tor", "Lum", "Ori", "Zen")
BRAND_ENDS = ("vik", "ora", "ex", "tron", "berg", "ly", "io", "and", "ent", "sk")
ADJECTIVES = (
    "Classic", "Essential", "Everyday", "Urban", "Premium", "Lightweight", "Heavy-duty",
    "Compact", "Vintage", "Organic", "Pro", "Slim", "Relaxed", "Waterproof", "Recycled",
)  # fmt: skip
COLOURS = (
    ("Black", (25, 25, 28)), ("White", (240, 240, 236)), ("Blue", (40, 90, 190)),
    ("Navy", (25, 35, 80)), ("Red", (190, 40, 40)), ("Green", (50, 140, 70)),
    ("Olive", (110, 110, 50)), ("Grey", (128, 128, 132)), ("Beige", (215, 200, 170)),
    ("Yellow", (235, 200, 50)), ("Orange", (235, 130, 40)), ("Pink", (230, 140, 170)),
    ("Brown", (110, 70, 40)), ("Teal", (40, 130, 130)),
)  # fmt: skip
MATERIALS = {
    "Clothing": ("organic cotton", "linen", "merino wool", "recycled polyester", "denim"),
    "Shoes and bags": ("full-grain leather", "canvas", "recycled nylon", "suede", "cork"),
    "Home and kitchen": ("stainless steel", "cast iron", "stoneware", "bamboo", "oak"),
    "Electronics": ("aluminium", "recycled plastic", "glass", "silicone", "steel"),
    "Sports and outdoors": ("ripstop nylon", "aluminium", "merino wool", "Gore-Tex", "EVA foam"),
    "Garden and DIY": ("hardened steel", "fibreglass", "ash wood", "rubber", "aluminium"),
}
FEATURES = (
    "Built to last, with reinforced seams and a two-year warranty.",
    "Designed in Scandinavia and tested by our own team.",
    "A favourite of our customers for everyday use.",
    "Lightweight enough to take anywhere.",
    "Easy to clean and quick to dry.",
    "Made in a certified fair-trade factory.",
    "Its timeless shape goes with everything.",
    "Repairable: spare parts are sold separately.",
)
CARE = {
    "Clothing": ("Machine washable at 30 °C.", "Hand wash recommended.", "Do not tumble dry."),
    "Shoes and bags": (
        "Wipe clean with a damp cloth.",
        "Store in a dry place.",
        "Use a leather balm twice a year.",
    ),
    "Home and kitchen": (
        "Dishwasher safe.",
        "Hand wash recommended.",
        "Dry thoroughly after washing.",
    ),
    "Electronics": (
        "Check the manual before first use.",
        "Keep away from water.",
        "Charge fully before first use.",
    ),
    "Sports and outdoors": (
        "Rinse with fresh water after use.",
        "Store in a dry place.",
        "Machine washable at 30 °C.",
    ),
    "Garden and DIY": (
        "Store in a dry place.",
        "Clean and oil after use.",
        "Check the manual before first use.",
    ),
}
