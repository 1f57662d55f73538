"""Two Spanish chatbot documents for the demo and the tests: a shipping policy and a
product-care guide, written like the ones a shop uploads to its Odoo chatbot."""

SHIPPING_POLICY = """Política de envíos y entregas

Enviamos a toda la península, Baleares y Canarias. Los pedidos confirmados antes de las
13:00 de un día laborable salen del almacén ese mismo día; los confirmados después, el
siguiente día laborable. Recibirás un correo con el número de seguimiento en cuanto el
transportista recoja el paquete.

Plazos de entrega. En la península el plazo habitual es de 24 a 48 horas laborables. En
Baleares calcula entre 3 y 5 días laborables, y en Canarias entre 5 y 8, porque el envío
pasa por aduana. Los pedidos con muebles de gran tamaño se entregan con cita previa: el
transportista te llamará para acordar el día y la franja horaria.

Gastos de envío. El envío es gratuito en pedidos superiores a 50 euros dentro de la
península. Por debajo de ese importe cuesta 4,95 euros. Para Baleares el coste es de 9,95
euros y para Canarias de 14,95 euros, sin incluir los impuestos de importación, que paga
el destinatario al recibir el paquete.

Entregas fallidas. Si no estás en casa, el transportista intentará la entrega una segunda
vez al día siguiente. Después del segundo intento el paquete queda siete días en la
oficina de destino; pasado ese plazo vuelve a nuestro almacén y te devolvemos el importe
del pedido menos los gastos de envío.

Paquetes dañados. Revisa el paquete delante del transportista. Si la caja llega abierta o
golpeada, anótalo en el albarán de entrega y escríbenos en un plazo de 48 horas con fotos
del embalaje y del producto. Te enviaremos una unidad nueva sin coste.

Devoluciones. Tienes 30 días naturales desde la entrega para devolver cualquier producto
sin usar y en su embalaje original. La recogida es gratuita en la península; solicítala
desde tu cuenta en el apartado Mis pedidos. Reembolsamos el importe en un máximo de 14
días desde que el producto llega al almacén, por el mismo medio de pago que usaste.
"""

PRODUCT_CARE = """Guía de cuidado de nuestros productos

Muebles de madera maciza. Limpia el polvo con un paño de algodón seco o ligeramente
húmedo, siempre en el sentido de la veta. No uses productos con amoníaco, lejía ni
siliconas, porque resecan la madera y dejan manchas. Una vez cada seis meses aplica una
capa fina de aceite o cera natural para alimentar la madera y protegerla de la humedad.

Evita colocar los muebles de madera junto a radiadores, chimeneas o ventanas con sol
directo durante muchas horas: los cambios bruscos de temperatura provocan grietas y el
sol decolora el barniz. Usa posavasos y salvamanteles; un vaso frío o una olla caliente
dejan cercos blancos difíciles de quitar.

Sofás y textiles. Aspira los cojines una vez por semana con el cepillo suave. Las fundas
con cremallera se pueden lavar a 30 grados en programa delicado, del revés y sin
centrifugado fuerte; déjalas secar a la sombra y vuelve a ponerlas aún algo húmedas para
que recuperen su forma. Para una mancha reciente, presiona con papel absorbente sin
frotar y después limpia con agua tibia y jabón neutro.

Piezas de metal y exterior. Los muebles de jardín de aluminio solo necesitan agua y
jabón. Las piezas de hierro deben secarse bien después de la lluvia; si aparece óxido,
lija la zona con suavidad y aplica pintura antioxidante. En invierno guarda los cojines
de exterior en un lugar seco y cubre los muebles con una funda transpirable.

Garantía. Todos nuestros productos tienen tres años de garantía frente a defectos de
fabricación. La garantía no cubre el desgaste normal por el uso, los daños por una
limpieza inadecuada ni los provocados por golpes. Para usarla, escríbenos con el número
de pedido y fotos del defecto.
"""
