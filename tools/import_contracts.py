"""An import-linter contract type of ours: each domain is used only through its public modules.

    [importlinter:contract:public-faces]
    type = public_faces
    domains = app.catalog, app.inventory, …
    public = service, models, schemas, exceptions, dependencies
    entry_points = app.main, app.admin, …
    entry_point_public = router, tasks

A module outside a domain may import the domain package itself and its `public` modules (and
what is inside them); entry points may also import `entry_point_public` ones (routers to mount,
tasks to run). Every other module of a domain is internal: only the domain imports it.
Registered in .importlinter (`contract_types`); `lint-imports` finds it from the repository
root, which it puts on sys.path.
"""

from dataclasses import dataclass

import grimp
from importlinter import Contract, ContractCheck, fields, output


@dataclass(frozen=True)
class IllegalImport:
    importer: str
    imported: str
    line_numbers: tuple[int | None, ...]


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class PublicFacesContract(Contract):
    type_name = "public_faces"

    domains = fields.ListField(subfield=fields.ModuleField())
    public = fields.ListField(subfield=fields.StringField())
    entry_points = fields.ListField(subfield=fields.ModuleField(), required=False)
    entry_point_public = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        public = set(self.public)  # type: ignore[call-overload]
        entry_public = public | set(self.entry_point_public or [])  # type: ignore[call-overload]
        entry_points = [module.name for module in self.entry_points or []]  # type: ignore[attr-defined]
        illegal: list[IllegalImport] = []
        for domain in self.domains:  # type: ignore[attr-defined]
            for module in sorted(graph.find_descendants(domain.name)):
                # app.inventory.items.x -> "items": the domain's module it belongs to.
                face = module[len(domain.name) + 1 :].split(".")[0]
                for importer in sorted(graph.find_modules_that_directly_import(module)):
                    if _within(importer, domain.name):
                        continue
                    is_entry_point = any(_within(importer, entry) for entry in entry_points)
                    if face in (entry_public if is_entry_point else public):
                        continue
                    details = graph.get_import_details(importer=importer, imported=module)
                    illegal.append(
                        IllegalImport(
                            importer, module, tuple(detail["line_number"] for detail in details)
                        )
                    )
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["illegal"]:
            lines = ", ".join(str(number) for number in item.line_numbers)
            output.print_error(
                f"- {item.importer} -> {item.imported} (l.{lines}): an internal module",
                bold=False,
            )
        output.new_line()
        output.print_error(
            "Import the domain's public modules instead (its service re-exports what others may "
            "use), or move the code to where it belongs.",
            bold=False,
        )
