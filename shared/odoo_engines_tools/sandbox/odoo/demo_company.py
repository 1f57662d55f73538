"""A deterministic demo company: a Chilean maker of oils, natural cosmetics and foods.

`populate(db, DemoSpec(...), seed)` fills a sandbox database: product categories (a tree),
templates with attribute variants ("Tamaño: 500 ml"), some variants without a code, a few
sharing one code, some archived, barcodes, weights; partners with Chilean addresses;
`months` of sale orders with trend, yearly seasonality and intermittent SKUs; stock quants
in internal (and some non-internal) locations; open purchases and manufacturing orders.
The same spec and seed give the same data (by default dates follow the current hour).
Rows are inserted in bulk, without business rules: 50,000 products take a few seconds.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

# fmt: off
# Chilean regions (ISO 3166-2:CL) and a few of their cities.
CL_STATES = [
    ("AP", "Arica y Parinacota", ["Arica"]),
    ("TA", "Tarapacá", ["Iquique", "Alto Hospicio"]),
    ("AN", "Antofagasta", ["Antofagasta", "Calama"]),
    ("AT", "Atacama", ["Copiapó", "Vallenar"]),
    ("CO", "Coquimbo", ["La Serena", "Coquimbo", "Ovalle"]),
    ("VS", "Valparaíso", ["Valparaíso", "Viña del Mar", "Quilpué", "San Antonio"]),
    ("RM", "Región Metropolitana de Santiago",
     ["Santiago", "Providencia", "Las Condes", "Ñuñoa", "Maipú", "La Florida", "Puente Alto"]),
    ("LI", "Libertador General Bernardo O'Higgins", ["Rancagua", "San Fernando", "Pichilemu"]),
    ("ML", "Maule", ["Talca", "Curicó", "Linares"]),
    ("NB", "Ñuble", ["Chillán"]),
    ("BI", "Biobío", ["Concepción", "Talcahuano", "Los Ángeles"]),
    ("AR", "La Araucanía", ["Temuco", "Pucón", "Villarrica"]),
    ("LR", "Los Ríos", ["Valdivia"]),
    ("LL", "Los Lagos", ["Puerto Montt", "Osorno", "Castro", "Ancud"]),
    ("AI", "Aysén del General Carlos Ibáñez del Campo", ["Coyhaique"]),
    ("MA", "Magallanes y de la Antártica Chilena", ["Punta Arenas", "Puerto Natales"]),
]
FOREIGN = [
    ("AR", "Argentina", 54, "ARS", [("B", "Buenos Aires", ["La Plata", "Mar del Plata"]),
                                    ("M", "Mendoza", ["Mendoza"]),
                                    ("C", "Ciudad Autónoma de Buenos Aires", ["Buenos Aires"])]),
    ("PE", "Perú", 51, "PEN", [("LIM", "Lima", ["Lima", "Miraflores"]),
                               ("ARE", "Arequipa", ["Arequipa"])]),
    ("US", "United States", 1, "USD", [("CA", "California", ["San Francisco", "Los Angeles"]),
                                       ("FL", "Florida", ["Miami"])]),
    ("BO", "Bolivia", 591, "BOB", [("L", "La Paz", ["La Paz"])]),
]
STREETS = [
    "Av. Providencia", "Los Leones", "Av. Libertador Bernardo O'Higgins", "Irarrázaval",
    "Av. Apoquindo", "Pedro de Valdivia", "Condell", "Av. Argentina", "Barros Arana", "Colo Colo",
    "Av. Alemania", "Caupolicán", "Lautaro", "Av. Vicuña Mackenna", "Manuel Montt", "San Martín",
    "Av. Perú", "Prat", "Av. Grecia", "Los Carrera", "Freire", "Av. Matta", "Antonio Varas",
    "Av. Italia",
]
FIRST_NAMES = [
    "Camila", "Valentina", "Javiera", "Catalina", "Francisca", "Constanza", "Fernanda", "Antonia",
    "Isidora", "Sofía", "Daniela", "Josefa", "Matías", "Benjamín", "Vicente", "Martín",
    "Sebastián", "Tomás", "Joaquín", "Diego", "Nicolás", "Felipe", "Cristóbal", "Ignacio",
    "Agustín", "Maite",
]
LAST_NAMES = [
    "González", "Muñoz", "Rojas", "Díaz", "Pérez", "Soto", "Contreras", "Silva", "Martínez",
    "Sepúlveda", "Morales", "Rodríguez", "López", "Fuentes", "Hernández", "Torres", "Araya",
    "Flores", "Espinoza", "Valenzuela", "Castillo", "Tapia", "Reyes", "Gutiérrez", "Castro",
    "Pizarro", "Álvarez", "Vásquez", "Sánchez", "Fernández", "Ramírez", "Carrasco", "Núñez",
    "Cáceres",
]
SHOP_KINDS = ["Almacén Natural", "Farmacia Herbal", "Tienda Orgánica", "Distribuidora", "Emporio",
              "Minimarket", "Botica Natural", "Mercado Saludable", "Dietética", "Spa"]
SHOP_NAMES = ["Los Andes", "del Sur", "Verde Austral", "La Vega", "El Quisco", "Valdivia",
              "Raíces", "Quillay", "Copihue", "Mapuche Lawen", "Cordillera", "Pacífico", "Atacama",
              "Chiloé", "Alerce", "Lircay", "Las Rosas", "Boldo", "Nativa", "Tierra Buena"]
LEGAL = ["SpA", "Ltda.", "S.A.", "EIRL", ""]

# Attributes: name → [(value, code, size factor, price factor)]
ATTRIBUTES = {
    "Tamaño": [("30 ml", "30", 0.3, 0.45), ("100 ml", "100", 1.0, 1.0),
               ("250 ml", "250", 2.5, 2.1), ("500 ml", "500", 5.0, 3.6), ("1 L", "1L", 10.0, 6.5)],
    "Peso": [("100 g", "100G", 1.0, 1.0), ("250 g", "250G", 2.5, 2.2),
             ("500 g", "500G", 5.0, 4.0), ("1 kg", "1KG", 10.0, 7.4)],
    "Aroma": [("Lavanda", "LAV", 1.0, 1.0), ("Eucalipto", "EUC", 1.0, 1.0),
              ("Menta", "MEN", 1.0, 1.0), ("Rosa Mosqueta", "ROS", 1.0, 1.1),
              ("Sin aroma", "NEU", 1.0, 0.95)],
    "Color": [("Blanco", "BLA", 1.0, 1.0), ("Natural", "NAT", 1.0, 1.0),
              ("Ámbar", "AMB", 1.0, 1.05)],
}
# Leaf categories: (path, code, attribute, peak month, [(base name, price CLP, weight kg)])
CATALOGUE = [
    ("Ventas/Aceites/Aceites Vegetales", "ACV", "Tamaño", 12, [
        ("Aceite de Coco Orgánico", 5990, 0.12), ("Aceite de Oliva Extra Virgen", 6990, 0.11),
        ("Aceite de Rosa Mosqueta", 8990, 0.04), ("Aceite de Almendras Dulces", 5490, 0.11),
        ("Aceite de Jojoba", 9990, 0.11), ("Aceite de Palta", 6490, 0.11),
        ("Aceite de Sésamo", 4990, 0.11), ("Aceite de Linaza", 4490, 0.11),
        ("Aceite de Argán", 12990, 0.11)]),
    ("Ventas/Aceites/Aceites Esenciales", "ACE", "Tamaño", 6, [
        ("Aceite Esencial de Lavanda", 6990, 0.03), ("Aceite Esencial de Eucalipto", 5990, 0.03),
        ("Aceite Esencial de Menta", 5990, 0.03), ("Aceite Esencial de Árbol de Té", 7490, 0.03),
        ("Aceite Esencial de Limón", 5490, 0.03), ("Aceite Esencial de Romero", 5490, 0.03)]),
    ("Ventas/Cosmética Natural/Cuidado Facial", "CFA", None, 11, [
        ("Crema Facial de Rosa Mosqueta", 12990, 0.08), ("Sérum de Vitamina C", 15990, 0.05),
        ("Tónico de Hamamelis", 8990, 0.2), ("Contorno de Ojos de Maqui", 11990, 0.03),
        ("Mascarilla de Arcilla Verde", 7990, 0.12), ("Agua Micelar de Caléndula", 8490, 0.25)]),
    ("Ventas/Cosmética Natural/Cuidado Corporal", "CCO", "Aroma", 12, [
        ("Jabón Artesanal", 3490, 0.1), ("Crema Corporal de Karité", 9990, 0.22),
        ("Bálsamo Labial", 2990, 0.01), ("Desodorante Natural", 5990, 0.06),
        ("Exfoliante de Café", 7490, 0.2), ("Mantequilla de Cacao", 6990, 0.15)]),
    ("Ventas/Cosmética Natural/Cuidado Capilar", "CCA", "Aroma", 1, [
        ("Shampoo Sólido", 6990, 0.08), ("Acondicionador Sólido", 6990, 0.08),
        ("Aceite Capilar de Ricino", 5990, 0.11), ("Mascarilla Capilar de Palta", 8990, 0.22)]),
    ("Ventas/Alimentos/Mieles", "MIE", "Peso", 7, [
        ("Miel de Ulmo", 7990, 0.5), ("Miel de Quillay", 7490, 0.5),
        ("Miel Multifloral", 5990, 0.5), ("Miel Cremada con Canela", 6490, 0.25),
        ("Propóleo en Gotas", 8990, 0.03)]),
    ("Ventas/Alimentos/Especias y Condimentos", "ESP", "Peso", 9, [
        ("Merkén Ahumado", 2990, 0.1), ("Sal de Mar de Cáhuil", 2490, 0.25),
        ("Pimentón Ahumado", 2790, 0.1), ("Cúrcuma en Polvo", 3290, 0.1),
        ("Orégano Chileno", 1990, 0.05), ("Ají Cacho de Cabra", 2990, 0.1)]),
    ("Ventas/Alimentos/Superalimentos", "SUP", "Peso", 3, [
        ("Harina de Quínoa", 3990, 0.5), ("Maqui en Polvo", 9990, 0.1),
        ("Chía Orgánica", 3490, 0.25), ("Cacao Nibs", 5990, 0.25),
        ("Murta Deshidratada", 6990, 0.1), ("Harina de Algarrobo", 4490, 0.5)]),
    ("Ventas/Alimentos/Infusiones", "INF", None, 7, [
        ("Té de Boldo", 2490, 0.05), ("Infusión de Cedrón", 2490, 0.05),
        ("Rica Rica", 2990, 0.05), ("Matico", 2490, 0.05),
        ("Manzanilla Orgánica", 2290, 0.05), ("Hierba Luisa", 2290, 0.05)]),
    ("Ventas/Hogar/Velas y Aromas", "HVA", "Aroma", 6, [
        ("Vela de Soya", 7990, 0.3), ("Difusor de Varillas", 11990, 0.25),
        ("Incienso Natural", 3990, 0.05)]),
    ("Ventas/Hogar/Limpieza Ecológica", "HLI", "Tamaño", 10, [
        ("Detergente Ecológico", 6990, 1.0), ("Lavalozas Biodegradable", 3990, 0.5),
        ("Limpiador Multiuso de Vinagre", 3490, 0.5)]),
    ("Ventas/Suplementos", "SUV", None, 5, [
        ("Cápsulas de Maqui", 14990, 0.1), ("Colágeno Hidrolizado", 19990, 0.3),
        ("Omega 3 de Linaza", 12990, 0.1), ("Espirulina en Tabletas", 13990, 0.15)]),
]
SUPPLIES = [("Envase Ámbar 100 ml", 450, 0.06), ("Etiqueta Kraft", 60, 0.001),
            ("Cera de Abeja a Granel", 8900, 1.0), ("Manteca de Karité a Granel", 12900, 1.0),
            ("Frasco de Vidrio 250 g", 390, 0.15), ("Caja de Despacho", 350, 0.2)]
SERVICES = [("Despacho a Domicilio", 3990), ("Envoltura de Regalo", 1990)]
QUALIFIERS = ["", "Premium", "Orgánico", "Andino", "Patagónico", "del Valle", "Artesanal",
              "Familiar", "Edición Limitada", "Sin Aditivos", "Gourmet", "Natural", "Selección",
              "Reserva", "Eco"]
LINES_OF = ["", "Línea Atacama", "Línea Chiloé", "Línea Elqui", "Línea Lonquimay",
            "Línea Rapa Nui", "Línea Colchagua", "Línea Aysén", "Línea Maule", "Línea Limarí",
            "Línea Llanquihue", "Línea Azapa", "Línea Cachapoal", "Línea Itata", "Línea Choapa",
            "Línea Tolhuaca", "Línea Petrohué", "Línea Putaendo", "Línea Casablanca",
            "Línea Curacautín"]
VENDORS = [("Envases del Pacífico SpA", "Valparaíso"), ("Apícola Ulmo Sur Ltda.", "Valdivia"),
           ("Aceites Prensados del Maule SpA", "Talca"), ("Hierbas de Chiloé Ltda.", "Castro"),
           ("Insumos Cosméticos Andinos S.A.", "Santiago")]
# fmt: on


@dataclass(frozen=True)
class DemoSpec:
    """Sizes of the demo company; defaults suit tests (about 150 variants, 40 orders/month)."""

    products: int = 150  # product.product variants, services and supplies included
    categories: int = 20  # product.category records (the tree grows "Línea N" leaves)
    partners: int = 60  # customers (plus their contacts and a few vendors)
    months: int = 36  # of sale orders
    orders_per_month: int = 40
    start: date | None = None  # first month; default: `months` months before this month
    archived_share: float = 0.04
    no_code_share: float = 0.05
    intermittent_share: float = 0.3
    duplicate_codes: int = 3  # variants given another variant's default_code
    now: datetime | None = None  # the generation instant (naive UTC); default: this hour

    def first_month(self, today: date) -> date:
        if self.start is not None:
            return self.start.replace(day=1)
        index = today.year * 12 + today.month - 1 - self.months
        return date(index // 12, index % 12 + 1, 1)


def populate(db, spec: DemoSpec, seed: int = 42) -> None:
    """Fill `db` with the demo company described by `spec` (deterministic per seed)."""
    _Generator(db, spec, seed).run()


def _month_start(first: date, offset: int) -> datetime:
    index = first.year * 12 + first.month - 1 + offset
    return datetime(index // 12, index % 12 + 1, 1)


def ean13(body12: str) -> str:
    """A valid EAN-13 from its first 12 digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def rut(number: int) -> str:
    """A Chilean RUT with its módulo-11 check digit, e.g. 76.123.456-7."""
    digits, factor, total = str(number), 2, 0
    for d in reversed(digits):
        total += int(d) * factor
        factor = 2 if factor == 7 else factor + 1
    check = {10: "K", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    return f"{number:,}".replace(",", ".") + f"-{check}"


class _Generator:
    def __init__(self, db, spec: DemoSpec, seed: int):
        self.db = db
        self.spec = spec
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        # Whole hours: two databases generated in the same hour hold the same rows.
        self.now = spec.now or db.now.replace(minute=0, second=0, microsecond=0)
        self.first = spec.first_month(self.now.date())
        self.period_start = _month_start(self.first, 0)
        self.period_end = min(_month_start(self.first, spec.months), self.now)
        self.release = db.release
        self.ids = {m: itertools.count(1) for m in db.registry}
        self.rows: dict[str, list[dict]] = {m: [] for m in db.registry}
        self._default_rows: dict[str, dict] = {}

    def run(self) -> None:
        with self.db.transaction(at=self.now):
            self._base()
            self._catalogue()
            self._partners()
            self._orders()
            if "stock.quant" in self.db.registry:  # Inventory, Purchase, Manufacturing installed
                self._stock()
                self._purchases_and_manufacturing()
            for model, rows in self.rows.items():
                if rows:
                    self.db.insert_rows(model, rows)

    def add(self, model: str, values: dict, at: datetime | None = None) -> int:
        row = dict(self.default(model))
        rid = next(self.ids[model])
        row.update(values)
        row["id"] = rid
        stamp = at or self.period_start
        row.setdefault("create_date", stamp)
        row.setdefault("write_date", stamp)
        self.rows[model].append(row)
        return rid

    def default(self, model: str) -> dict:
        """The model's default row (computed once: 50,000 rows copy it)."""
        if model not in self._default_rows:
            self._default_rows[model] = self.db.default_row(model)
        return self._default_rows[model]

    def stamp_between(self, start: datetime, end: datetime) -> datetime:
        span = max((end - start).total_seconds(), 1.0)
        return start + timedelta(
            seconds=self.rng.random() * span, microseconds=self.rng.randrange(1, 999_999)
        )

    # -- base data -------------------------------------------------------------------------
    def _base(self) -> None:
        currencies = {}
        for code, full, symbol, digits in [
            ("CLP", "Chilean peso", "$", 0),
            ("USD", "United States dollar", "$", 2),
            ("ARS", "Argentine peso", "$", 2),
            ("PEN", "Peruvian sol", "S/", 2),
            ("BOB", "Boliviano", "Bs.", 2),
            ("EUR", "Euro", "€", 2),
        ]:
            currencies[code] = self.add(
                "res.currency",
                {
                    "name": code,
                    "full_name": full,
                    "symbol": symbol,
                    "decimal_places": digits,
                    "rounding": 10**-digits if digits else 1.0,
                    "position": "before",
                    "active": True,
                },
            )
        self.clp = currencies["CLP"]
        self.countries, self.states = {}, {}
        cl = self.add(
            "res.country",
            {"name": "Chile", "code": "CL", "phone_code": 56, "currency_id": self.clp},
        )
        self.countries["CL"] = cl
        for code, name, cities in CL_STATES:
            self.states[("CL", code)] = (
                self.add("res.country.state", {"name": name, "code": code, "country_id": cl}),
                cities,
            )
        for ccode, cname, phone, cur, states in FOREIGN:
            cid = self.add(
                "res.country",
                {"name": cname, "code": ccode, "phone_code": phone, "currency_id": currencies[cur]},
            )
            self.countries[ccode] = cid
            for scode, sname, cities in states:
                self.states[(ccode, scode)] = (
                    self.add(
                        "res.country.state", {"name": sname, "code": scode, "country_id": cid}
                    ),
                    cities,
                )
        rm, _ = self.states[("CL", "RM")]
        company_partner = self.add(
            "res.partner",
            {
                "name": "Naturaleza Andina SpA",
                "is_company": True,
                "street": "Av. Italia 1450",
                "city": "Providencia",
                "zip": "7500000",
                "state_id": rm,
                "country_id": cl,
                "vat": rut(77345678),
                "email": "contacto@naturalezaandina.cl",
                "phone": "+56 2 2345 6789",
                "company_id": 1,
                "lang": "es_CL",
            },
        )
        bot = self.add(
            "res.partner",
            {"name": "OdooBot", "email": "odoobot@example.com", "active": False, "lang": "es_CL"},
        )
        admin_partner = self.add(
            "res.partner",
            {
                "name": "Administrador",
                "email": "admin@naturalezaandina.cl",
                "parent_id": company_partner,
                "company_id": 1,
                "lang": "es_CL",
                "state_id": rm,
                "country_id": cl,
            },
        )
        self.add(
            "res.company", {"partner_id": company_partner, "currency_id": self.clp, "sequence": 0}
        )
        self.add(
            "res.users",
            {
                "login": "__system__",
                "partner_id": bot,
                "company_id": 1,
                "company_ids": [1],
                "active": False,
                "tz": "UTC",
            },
        )
        self.add(
            "res.users",
            {
                "login": self.db.login,
                "partner_id": admin_partner,
                "company_id": 1,
                "company_ids": [1],
                "tz": "America/Santiago",
            },
        )
        self.company_partner = company_partner
        self._uoms()
        self.tax_sale = self.add(
            "account.tax",
            {
                "name": "IVA 19% Venta",
                "amount": 19.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": 1,
            },
        )
        self.add(
            "account.tax",
            {
                "name": "IVA 19% Compra",
                "amount": 19.0,
                "amount_type": "percent",
                "type_tax_use": "purchase",
                "company_id": 1,
                "sequence": 2,
            },
        )
        if "stock.location" in self.db.registry:
            self._locations()

    def _uoms(self) -> None:
        units = [
            ("Unidades", "Unidad", 1.0, "reference"),
            ("Docena", "Unidad", 1 / 12, "bigger"),
            ("kg", "Peso", 1.0, "reference"),
            ("g", "Peso", 1000.0, "smaller"),
            ("L", "Volumen", 1.0, "reference"),
            ("ml", "Volumen", 1000.0, "smaller"),
        ]
        categories = {}
        self.uoms = {}
        for seq, (name, category, factor, kind) in enumerate(units):
            values = {
                "name": name,
                "factor": factor,
                "rounding": 0.01 if category != "Unidad" else 1.0,
            }
            if self.release.uom_category:
                if category not in categories:
                    categories[category] = self.add("uom.category", {"name": category})
                values.update(category_id=categories[category], uom_type=kind)
            else:
                values.update(sequence=seq, relative_factor=1 / factor)
            self.uoms[name] = self.add("uom.uom", values)

    def _locations(self) -> None:
        def loc(name: str, usage: str, parent: int | None = None, company: int | None = 1) -> int:
            return self.add(
                "stock.location",
                {"name": name, "usage": usage, "location_id": parent, "company_id": company},
            )

        physical = loc("Physical Locations", "view", company=None)
        partners = loc("Partners", "view", company=None)
        virtual = loc("Virtual Locations", "view", company=None)
        self.loc_supplier = loc("Vendors", "supplier", partners, None)
        self.loc_customer = loc("Customers", "customer", partners, None)
        loc("Inventory adjustment", "inventory", virtual)
        loc("Production", "production", virtual)
        self.loc_transit = loc("Inter-warehouse transit", "transit", physical)
        wh_view = loc("WH", "view", physical)
        self.loc_stock = loc("Stock", "internal", wh_view)
        self.loc_shelf = loc("Estantería A", "internal", self.loc_stock)
        vp_view = loc("VAL", "view", physical)
        self.loc_stock2 = loc("Stock", "internal", vp_view)
        self.add(
            "stock.warehouse",
            {
                "name": "Bodega Santiago",
                "code": "WH",
                "lot_stock_id": self.loc_stock,
                "view_location_id": wh_view,
                "company_id": 1,
                "partner_id": self.company_partner,
                "sequence": 1,
            },
        )
        self.add(
            "stock.warehouse",
            {
                "name": "Bodega Valparaíso",
                "code": "VAL",
                "lot_stock_id": self.loc_stock2,
                "view_location_id": vp_view,
                "company_id": 1,
                "sequence": 2,
            },
        )

    # -- catalogue ---------------------------------------------------------------------------
    def _categories(self) -> list[tuple[int, str, str | None, int, list]]:
        """Category ids; returns the leaves that carry products."""
        by_path: dict[str, int] = {}
        root = self.add("product.category", {"name": "All"})
        by_path[""] = root

        def ensure(path: str) -> int:
            if path in by_path:
                return by_path[path]
            parent, _sep, name = path.rpartition("/")
            by_path[path] = self.add(
                "product.category", {"name": name, "parent_id": ensure(parent)}
            )
            return by_path[path]

        leaves = [
            (ensure(path), code, attribute, peak, items)
            for path, code, attribute, peak, items in CATALOGUE
        ]
        self.cat_supplies = ensure("Insumos")
        self.cat_services = ensure("Servicios")
        extra = self.spec.categories - len(by_path)
        for n in range(max(extra, 0)):
            parent_id, code, attribute, peak, items = leaves[n % len(CATALOGUE)]
            line = n // len(CATALOGUE) + 1
            cid = self.add(
                "product.category", {"name": f"Línea {line + 1}", "parent_id": parent_id}
            )
            leaves.append((cid, f"{code}{line}", attribute, peak, items))
        return leaves

    def _catalogue(self) -> None:
        spec = self.spec
        leaves = self._categories()
        self.attribute_values = {}
        for seq, (attr, values) in enumerate(ATTRIBUTES.items()):
            aid = self.add(
                "product.attribute", {"name": attr, "sequence": seq, "display_type": "radio"}
            )
            for vseq, (value, _code, _size, _price) in enumerate(values):
                self.attribute_values[(attr, value)] = (
                    aid,
                    self.add(
                        "product.attribute.value",
                        {"name": value, "attribute_id": aid, "sequence": vseq},
                    ),
                )
        self.variants: list[dict] = []  # generation facts per variant (for demand, stock)
        target = max(spec.products, 1)
        import_at = self.period_start - timedelta(days=90, hours=3, microseconds=-123_457)
        count = 0
        fixed = [(self.cat_services, "SRV", None, n, p, 0.0, "service") for n, p in SERVICES]
        fixed += [(self.cat_supplies, "INS", None, n, p, w, "supply") for n, p, w in SUPPLIES]
        for t in itertools.count():
            if count >= target:
                break
            if t < len(fixed) and t < max(target // 20, 1):
                categ, code, attribute, name, price, weight, kind = fixed[t]
                peak = 12
            else:
                k = t - min(len(fixed), max(target // 20, 1))
                categ, code, attribute, peak, items = leaves[k % len(leaves)]
                base_name, price, weight = items[(k // len(leaves)) % len(items)]
                variation = k // (len(leaves) * len(items))
                qualifier = QUALIFIERS[variation % len(QUALIFIERS)]
                line = LINES_OF[(variation // len(QUALIFIERS)) % len(LINES_OF)]
                extra = variation // (len(QUALIFIERS) * len(LINES_OF))
                name = " ".join(
                    p for p in (base_name, qualifier, line, str(extra + 1) if extra else "") if p
                )
                kind = "goods"
            count += self._template(
                t,
                name,
                categ,
                code,
                attribute,
                peak,
                price,
                weight,
                kind,
                target - count,
                import_at,
            )
        self._codes_shared_and_missing()

    def _template(
        self,
        t: int,
        name: str,
        categ: int,
        code: str,
        attribute: str | None,
        peak: int,
        price: float,
        weight: float,
        kind: str,
        room: int,
        import_at: datetime,
    ) -> int:
        rng, spec = self.rng, self.spec
        values = ATTRIBUTES[attribute] if attribute and kind == "goods" else []
        n_variants = 1
        if values and rng.random() < 0.6:
            n_variants = rng.randint(2, len(values))
        n_variants = min(n_variants, room)
        chosen = (
            sorted(rng.sample(range(len(values)), n_variants)) if values and n_variants > 1 else []
        )
        created = (
            import_at
            if rng.random() < 0.6
            else self.stamp_between(
                self.period_start - timedelta(days=60), self.now - timedelta(days=2)
            )
        )
        written = created if rng.random() < 0.7 else self.stamp_between(created, self.now)
        archived_template = kind == "goods" and rng.random() < spec.archived_share / 2
        storable = kind != "service"
        tvals = {
            "name": name,
            "categ_id": categ,
            "list_price": float(price),
            "sale_ok": kind != "supply",
            "purchase_ok": kind != "service",
            "uom_id": self.uoms["Unidades"],
            "active": not archived_template,
            "description_sale": f"{name}. Producto de Naturaleza Andina, elaborado en Chile."
            if kind == "goods"
            else False,
            "company_id": False,
        }
        tvals["description_sale"] = tvals["description_sale"] or None
        if self.release.uom_category:
            tvals["uom_po_id"] = tvals["uom_id"]
        if "stock.quant" not in self.db.registry:  # no Inventory: nothing is storable
            tvals.update(type="service" if kind == "service" else "consu")
            if not self.release.is_storable:
                tvals["detailed_type"] = tvals["type"]
        elif self.release.is_storable:
            tvals.update(type="service" if kind == "service" else "consu", is_storable=storable)
        else:
            detailed = "service" if kind == "service" else "product"
            tvals.update(type=detailed, detailed_type=detailed)
        if self.release.is_favorite:
            tvals["is_favorite"] = rng.random() < 0.03
        else:
            tvals["priority"] = "1" if rng.random() < 0.03 else "0"
        tid = self.add("product.template", tvals, at=created)
        self.rows["product.template"][-1]["write_date"] = written
        ptavs: list[tuple[int, str, str, float, float]] = []
        if chosen:
            aid, _ = self.attribute_values[(attribute, values[0][0])]
            line = self.add(
                "product.template.attribute.line",
                {
                    "product_tmpl_id": tid,
                    "attribute_id": aid,
                    "value_ids": [
                        self.attribute_values[(attribute, values[i][0])][1] for i in chosen
                    ],
                },
                at=created,
            )
            for i in chosen:
                value, vcode, size, pfactor = values[i]
                extra = round(price * (pfactor - 1) / 10) * 10
                ptav = self.add(
                    "product.template.attribute.value",
                    {
                        "product_attribute_value_id": self.attribute_values[(attribute, value)][1],
                        "attribute_line_id": line,
                        "price_extra": float(extra),
                    },
                    at=created,
                )
                ptavs.append((ptav, value, vcode, size, pfactor))
        intermittent = rng.random() < spec.intermittent_share
        for ptav, _value, vcode, size, pfactor in ptavs or [(None, "", "", 1.0, 1.0)]:
            variant_code = f"{code}-{t + 1:05d}" + (f"-{vcode}" if vcode else "")
            variant_active = not archived_template and not (rng.random() < spec.archived_share / 2)
            vwritten = written if rng.random() < 0.8 else self.stamp_between(created, self.now)
            if self.release.major >= 17:
                vwritten = max(vwritten, written)
            barcode = (
                ean13(f"780{rng.randrange(10**9):09d}")
                if kind != "service" and rng.random() < 0.85
                else None
            )
            vid = self.add(
                "product.product",
                {
                    "product_tmpl_id": tid,
                    "default_code": None if rng.random() < spec.no_code_share else variant_code,
                    "barcode": barcode,
                    "active": variant_active,
                    "weight": round(weight * size, 3),
                    "volume": round(weight * size / 1000, 5),
                    "standard_price": float(round(price * pfactor * rng.uniform(0.4, 0.6))),
                    "product_template_attribute_value_ids": [ptav] if ptav else [],
                    "combination_indices": str(ptav) if ptav else "",
                },
                at=created,
            )
            self.rows["product.product"][-1]["write_date"] = vwritten
            self.variants.append(
                {
                    "id": vid,
                    "tmpl": tid,
                    "kind": kind,
                    "storable": storable,
                    "active": variant_active,
                    "price": float(price * pfactor),
                    "peak": peak,
                    "created": created,
                    "intermittent": intermittent,
                    "display": f"[{variant_code}] {name}" + (f" ({_value})" if ptav else ""),
                }
            )
        return max(len(ptavs), 1)

    def _codes_shared_and_missing(self) -> None:
        """Whatever the sizes, a few codes are shared, missing, and a few goods archived."""
        spec, rows = self.spec, self.rows["product.product"]
        goods = [r for r, v in zip(rows, self.variants, strict=True) if v["kind"] == "goods"]
        if spec.no_code_share > 0 and goods and all(r["default_code"] for r in rows):
            goods[len(goods) // 2]["default_code"] = None
        if spec.archived_share > 0 and len(goods) > 2 and all(r["active"] for r in goods):
            goods[-2]["active"] = False
            self.variants[rows.index(goods[-2])]["active"] = False
        coded = [r for r in rows if r["default_code"]]
        for n in range(min(spec.duplicate_codes, len(coded) // 2)):
            source, target = coded[(n * 7) % len(coded)], coded[-1 - n]
            target["default_code"] = source["default_code"]

    # -- partners -----------------------------------------------------------------------------
    def _partners(self) -> None:
        rng = self.rng
        self.customers: list[int] = []
        self.shipping: dict[int, list[int]] = {}
        self.wholesale: set[int] = set()
        has_mobile = "mobile" in self.db.registry["res.partner"].fields
        cl_states = [key for key in self.states if key[0] == "CL"]
        state_weights = [
            8 if key[1] == "RM" else 3 if key[1] in ("VS", "BI") else 1 for key in cl_states
        ]
        foreign = [key for key in self.states if key[0] != "CL"]
        for n in range(self.spec.partners):
            abroad = rng.random() < 0.08
            key = rng.choice(foreign) if abroad else rng.choices(cl_states, state_weights)[0]
            state_id, cities = self.states[key]
            company = rng.random() < 0.3
            if company:
                name = (
                    f"{rng.choice(SHOP_KINDS)} {rng.choice(SHOP_NAMES)} {rng.choice(LEGAL)}".strip()
                )
            else:
                name = (
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
                )
            slug = "".join(c for c in name.lower().split()[0] if c.isalnum()) or "cliente"
            created = self.stamp_between(
                self.period_start - timedelta(days=120), self.now - timedelta(days=30)
            )
            vals = {
                "name": name,
                "is_company": company,
                "customer_rank": 1,
                "street": f"{rng.choice(STREETS)} {rng.randint(10, 9999)}",
                "street2": f"Depto. {rng.randint(101, 2405)}"
                if not company and rng.random() < 0.4
                else None,
                "city": rng.choice(cities),
                "zip": f"{rng.randint(1000000, 9999999)}" if key[0] == "CL" else None,
                "state_id": state_id,
                "country_id": self.countries[key[0]],
                "email": f"{slug}{n + 1}@{'empresa' if company else 'correo'}.cl",
                "phone": f"+56 2 2{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                if key[0] == "CL"
                else None,
                "vat": rut(
                    rng.randint(76_000_000, 77_999_999)
                    if company
                    else rng.randint(8_000_000, 25_999_999)
                )
                if key[0] == "CL"
                else None,
                "lang": "es_CL",
                "active": rng.random() > 0.02,
            }
            if has_mobile and rng.random() < 0.5:
                vals["mobile"] = f"+56 9 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
            pid = self.add("res.partner", vals, at=created)
            self.customers.append(pid)
            if company and rng.random() < 0.35:
                self.wholesale.add(pid)
            if company and rng.random() < 0.5:
                for _ in range(rng.randint(1, 2)):
                    child_city = rng.choice(cities)
                    child = self.add(
                        "res.partner",
                        {
                            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                            "parent_id": pid,
                            "type": "delivery",
                            "street": f"{rng.choice(STREETS)} {rng.randint(10, 9999)}",
                            "city": child_city,
                            "state_id": state_id,
                            "country_id": self.countries[key[0]],
                            "lang": "es_CL",
                        },
                        at=created,
                    )
                    self.shipping.setdefault(pid, []).append(child)
        self.vendors = [
            self.add(
                "res.partner",
                {
                    "name": name,
                    "is_company": True,
                    "supplier_rank": 1,
                    "country_id": self.countries["CL"],
                    "city": city,
                    "vat": rut(76_500_000 + i * 7919),
                    "lang": "es_CL",
                },
            )
            for i, (name, city) in enumerate(VENDORS)
        ]

    # -- sales --------------------------------------------------------------------------------
    def _demand_model(self) -> tuple[np.ndarray, list[dict]]:
        sellable = [v for v in self.variants if v["kind"] != "supply"]
        n = len(sellable)
        gen = self.np
        base = gen.pareto(1.3, n) + 0.05
        intermittent = np.array([v["intermittent"] for v in sellable])
        base = np.where(intermittent, base * 0.08, base)
        trend = gen.normal(0.08, 0.25, n)
        amplitude = gen.uniform(0.15, 0.6, n)
        peaks = np.array([v["peak"] for v in sellable], dtype=float)
        months = self.spec.months
        weights = np.empty((months, n))
        created = np.array([v["created"].timestamp() for v in sellable])
        for m in range(months):
            start = _month_start(self.first, m)
            years = m / 12.0
            season = 1 + amplitude * np.cos(2 * math.pi * (start.month - peaks) / 12)
            growth = np.clip(1 + trend * years, 0.15, None)
            alive = created <= (start + timedelta(days=20)).timestamp()
            weights[m] = base * season * growth * alive
        return weights, sellable

    def _orders(self) -> None:
        if not self.customers or not self.variants:
            return
        gen, spec = self.np, self.spec
        weights, sellable = self._demand_model()
        uom_field, tax_field = self.release.line_field_names
        line_defaults = self.default("sale.order.line")
        sequence = 0
        for m in range(spec.months):
            start = _month_start(self.first, m)
            end = min(_month_start(self.first, m + 1), self.period_end)
            if start >= end:
                break
            season = 1 + 0.2 * math.cos(2 * math.pi * (start.month - 12) / 12)
            n_orders = max(
                1,
                round(spec.orders_per_month * season * (0.85 + 0.3 * m / max(spec.months - 1, 1))),
            )
            w = weights[m]
            if w.sum() <= 0:
                continue
            lines_per_order = gen.integers(1, 6, n_orders)
            picks = gen.choice(len(sellable), size=int(lines_per_order.sum()), p=w / w.sum())
            stamps = sorted(self.stamp_between(start, end) for _ in range(n_orders))
            cursor = 0
            for o in range(n_orders):
                sequence += 1
                products = list(
                    dict.fromkeys(int(p) for p in picks[cursor : cursor + lines_per_order[o]])
                )
                cursor += lines_per_order[o]
                self._order(
                    sequence,
                    stamps[o],
                    [sellable[p] for p in products],
                    line_defaults,
                    uom_field,
                    tax_field,
                )

    def _order(
        self,
        sequence: int,
        confirmed: datetime,
        products: list[dict],
        line_defaults: dict,
        uom_field: str,
        tax_field: str,
    ) -> None:
        rng = self.rng
        partner = rng.choice(self.customers)
        wholesale = partner in self.wholesale
        confirmed = confirmed.replace(
            hour=rng.randint(12, 23), microsecond=0
        )  # Chilean business hours, UTC
        age = self.now - confirmed
        state = "sale"
        if sequence % 31 == 7:
            state = "cancel"
        elif sequence % 19 == 4 and age < timedelta(days=60):
            state = "draft"  # recent quotations not confirmed yet
        locked = state == "sale" and age > timedelta(days=60) and rng.random() < 0.4
        written = min(
            confirmed + timedelta(days=rng.uniform(0, 10), microseconds=rng.randrange(1, 999_999)),
            self.now,
        )
        values = {
            "name": f"S{sequence:05d}",
            "state": state,
            "date_order": confirmed,
            "partner_id": partner,
            "partner_invoice_id": partner,
            "partner_shipping_id": rng.choice(self.shipping.get(partner, [partner])),
            "client_order_ref": f"OC-{rng.randint(1000, 99999)}"
            if wholesale and rng.random() < 0.7
            else None,
            "currency_id": self.clp,
            "company_id": 1,
            "user_id": 2,
            "origin": None,
            "note": "<p>Gracias por su compra.</p>" if rng.random() < 0.3 else None,
        }
        if self.release.sale_locked:
            values["locked"] = locked
        elif locked:
            values["state"] = "done"
        order_id = self.add(
            "sale.order", values, at=confirmed - timedelta(hours=rng.uniform(0.5, 48))
        )
        order = self.rows["sale.order"][-1]
        order["write_date"] = written
        delivered = state == "sale" and age > timedelta(days=7)
        lines: list[dict] = []
        seq = 10
        if sequence % 17 == 5:
            lines.append(
                {
                    "display_type": "line_section",
                    "name": "Pedido mayorista" if wholesale else "Productos",
                }
            )
        for product in products:
            qty = self._quantity(product, wholesale)
            discount = rng.choice((0.0, 0.0, 0.0, 5.0, 10.0)) if wholesale else 0.0
            lines.append({"product": product, "qty": qty, "discount": discount})
        if sequence % 23 == 9:
            lines.append({"display_type": "line_note", "name": "Despachar en horario AM."})
        untaxed = tax_total = 0.0
        for line in lines:
            row = dict(line_defaults)
            row.update(
                order_id=order_id,
                sequence=seq,
                create_date=order["create_date"],
                write_date=written,
            )
            seq += 10
            if "display_type" in line:
                row.update(
                    display_type=line["display_type"], name=line["name"], product_uom_qty=0.0
                )
            else:
                product = line["product"]
                subtotal = round(line["qty"] * product["price"] * (1 - line["discount"] / 100))
                tax = round(subtotal * 0.19)
                untaxed, tax_total = untaxed + subtotal, tax_total + tax
                row.update(
                    {
                        "product_id": product["id"],
                        "name": product["display"],
                        "product_uom_qty": float(line["qty"]),
                        uom_field: self.uoms["Unidades"],
                        "price_unit": product["price"],
                        "discount": line["discount"],
                        "price_subtotal": float(subtotal),
                        "price_tax": float(tax),
                        "price_total": float(subtotal + tax),
                        tax_field: [self.tax_sale],
                        "qty_delivered": float(line["qty"]) if delivered else 0.0,
                        "qty_invoiced": float(line["qty"]) if delivered else 0.0,
                    }
                )
            row["id"] = next(self.ids["sale.order.line"])
            self.rows["sale.order.line"].append(row)
        order.update(amount_untaxed=untaxed, amount_tax=tax_total, amount_total=untaxed + tax_total)

    def _quantity(self, product: dict, wholesale: bool) -> int:
        rng = self.rng
        if product["intermittent"]:
            return rng.choice((1, 1, 2, 6, 12, 24))  # lumpy: rare sales, sometimes large
        scale = 6 if wholesale else 1
        return 1 + int(self.np.poisson(1.2 * scale))

    # -- stock, purchases, manufacturing ---------------------------------------------------------
    def _stock(self) -> None:
        rng = self.rng
        recent = self.now - timedelta(days=30)
        stocked = [v for v in self.variants if v["storable"] and v["active"]]
        for n, v in enumerate(stocked):
            if rng.random() < 0.85:
                qty = float(rng.choice((0, rng.randint(1, 40), rng.randint(20, 300))))
                if n % 97 == 11:
                    qty = -float(rng.randint(1, 5))  # oversold pickings leave negative quants
                self._quant(v["id"], self.loc_stock, qty, recent)
            if rng.random() < 0.2:
                location = rng.choice((self.loc_shelf, self.loc_stock2))
                self._quant(v["id"], location, float(rng.randint(1, 60)), recent)
            if n % 20 == 3:  # goods on their way or at customers: quants, but not on hand
                location = rng.choice((self.loc_transit, self.loc_customer))
                self._quant(v["id"], location, float(rng.randint(1, 20)), recent)

    def _quant(self, product_id: int, location: int, qty: float, recent: datetime) -> None:
        reserved = (
            float(min(max(qty, 0), self.rng.randint(0, 5))) if self.rng.random() < 0.2 else 0.0
        )
        stamp = self.stamp_between(recent, self.now)
        self.add(
            "stock.quant",
            {
                "product_id": product_id,
                "location_id": location,
                "quantity": qty,
                "reserved_quantity": reserved,
                "inventory_quantity": 0.0,
                "in_date": stamp,
            },
            at=stamp,
        )

    def _purchases_and_manufacturing(self) -> None:
        rng = self.rng
        goods = [v for v in self.variants if v["storable"] and v["active"]]
        if not goods:
            return
        uom_field = "product_uom_id" if self.release.major >= 19 else "product_uom"
        for n in range(max(2, len(goods) // 100)):
            ordered = self.stamp_between(
                self.now - timedelta(days=20), self.now - timedelta(days=1)
            ).replace(microsecond=0)
            planned = ordered + timedelta(days=rng.randint(5, 30))
            state = "purchase" if n % 4 else "done"
            oid = self.add(
                "purchase.order",
                {
                    "name": f"P{n + 1:05d}",
                    "partner_id": rng.choice(self.vendors),
                    "state": state,
                    "date_order": ordered,
                    "date_planned": planned,
                    "currency_id": self.clp,
                    "company_id": 1,
                },
                at=ordered,
            )
            total = 0.0
            for seq, product in enumerate(rng.sample(goods, min(len(goods), rng.randint(1, 5)))):
                qty = float(rng.randint(10, 200))
                price = round(product["price"] * 0.45)
                total += qty * price
                self.add(
                    "purchase.order.line",
                    {
                        "order_id": oid,
                        "sequence": seq * 10,
                        "name": product["display"],
                        "product_id": product["id"],
                        "product_qty": qty,
                        "qty_received": qty
                        if state == "done"
                        else float(rng.choice((0, 0, qty // 2))),
                        uom_field: self.uoms["Unidades"],
                        "price_unit": float(price),
                        "price_subtotal": qty * price,
                        "date_planned": planned,
                    },
                    at=ordered,
                )
            self.rows["purchase.order"][-1]["amount_total"] = round(total * 1.19)
        start_field = "date_start" if self.release.major >= 17 else "date_planned_start"
        finish_field = "date_finished" if self.release.major >= 17 else "date_planned_finished"
        made = [v for v in goods if v["kind"] == "goods"]
        for n in range(max(2, len(made) // 50)):
            product = rng.choice(made)
            begin = self.stamp_between(
                self.now - timedelta(days=10), self.now + timedelta(days=20)
            ).replace(microsecond=0)
            self.add(
                "mrp.production",
                {
                    "name": f"WH/MO/{n + 1:05d}",
                    "product_id": product["id"],
                    "product_qty": float(rng.randint(20, 500)),
                    "product_uom_id": self.uoms["Unidades"],
                    "state": rng.choice(("confirmed", "confirmed", "progress", "done")),
                    start_field: begin,
                    finish_field: begin + timedelta(days=2),
                    "company_id": 1,
                    "origin": f"OP/{n + 1:05d}",
                },
                at=min(begin, self.now),
            )
